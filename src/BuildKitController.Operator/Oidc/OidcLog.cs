namespace BuildKitController.Operator.Oidc;

/// <summary>OIDC log messages. Event ids 2300–2349; ids never change meaning. Messages name issuers and configs, never tokens.</summary>
internal static partial class OidcLog
{
    [LoggerMessage(EventId = 2300, Level = LogLevel.Information, Message = "OIDC config {Config}: issuer {Issuer} verified ({Message})")]
    public static partial void IssuerVerified(ILogger logger, string config, string issuer, string message);

    [LoggerMessage(EventId = 2301, Level = LogLevel.Warning, Message = "OIDC config {Config}: issuer {Issuer} not ready, {Reason}: {Message}")]
    public static partial void IssuerNotReady(ILogger logger, string config, string issuer, string reason, string message);

    [LoggerMessage(EventId = 2302, Level = LogLevel.Debug, Message = "OIDC config {Config}: checked issuer {Issuer}, {Reason}; next check in {Delay}")]
    public static partial void IssuerChecked(ILogger logger, string config, string issuer, string reason, TimeSpan delay);

    [LoggerMessage(EventId = 2303, Level = LogLevel.Warning, Message = "OIDC config {Config} is invalid: {Message}")]
    public static partial void InvalidSpec(ILogger logger, string config, string message);

    [LoggerMessage(EventId = 2304, Level = LogLevel.Information, Message = "OIDC config {Config} is disabled")]
    public static partial void Disabled(ILogger logger, string config);
}
