namespace BuildKitController.Operator.Api;

/// <summary>Allocation API log messages (event ids 2500–2549). Audit lines name the caller, never the token.</summary>
internal static partial class ApiLog
{
    [LoggerMessage(2500, LogLevel.Information, "audit: {Action} pool {Namespace}/{Pool} worker {Worker} by {Caller} via {Source} (job {JobId}, expires {ExpiresAt:O}, request {RequestId})")]
    public static partial void Audit(ILogger logger, string action, string @namespace, string pool, string worker, string caller, string source, string jobId, DateTimeOffset? expiresAt, string requestId);

    [LoggerMessage(2501, LogLevel.Information, "{Method} {Path} -> {Status} ({RequestId})")]
    public static partial void Request(ILogger logger, string method, string path, int status, string requestId);

    [LoggerMessage(2502, LogLevel.Warning, "{Method} {Path} refused: {Code} {Message} ({RequestId})")]
    public static partial void Refused(ILogger logger, string method, string path, string code, string message, string requestId);

    [LoggerMessage(2503, LogLevel.Error, "{Method} {Path} failed ({RequestId})")]
    public static partial void Failed(ILogger logger, Exception exception, string method, string path, string requestId);

    [LoggerMessage(2504, LogLevel.Information, "Allocation API listening on {Address} ({Scheme})")]
    public static partial void Listening(ILogger logger, Uri address, string scheme);

    [LoggerMessage(2505, LogLevel.Warning, "API TLS certificate {CertificatePath} with key {KeyPath} did not load ({Reason}); serving the previous certificate until the files change again")]
    public static partial void TlsReloadFailed(ILogger logger, string certificatePath, string keyPath, string reason);
}
