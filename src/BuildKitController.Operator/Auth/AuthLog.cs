namespace BuildKitController.Operator.Auth;

/// <summary>
/// Authentication and authorization log messages. Event ids 2400–2449; ids never change meaning. Messages name
/// issuers, identities, pools and reasons; never tokens or claim sets.
/// </summary>
internal static partial class AuthLog
{
    [LoggerMessage(EventId = 2400, Level = LogLevel.Critical,
        Message = "INSECURE: dev mode is on. API authentication and authorization are OFF: every request, with or without a token, is the admin \"dev-user\". Never run dev mode where anyone else can reach the API")]
    public static partial void DevModeEnabled(ILogger logger);

    [LoggerMessage(EventId = 2401, Level = LogLevel.Debug, Message = "OIDC token of {Identity} verified (issuer {Issuer}, trusted through {Source})")]
    public static partial void OidcVerified(ILogger logger, string identity, string issuer, string source);

    [LoggerMessage(EventId = 2402, Level = LogLevel.Debug, Message = "OIDC token rejected (issuer {Issuer}): {Result}")]
    public static partial void OidcRejected(ILogger logger, string issuer, string result);

    [LoggerMessage(EventId = 2403, Level = LogLevel.Warning, Message = "OIDC issuer {Issuer} cannot be used: {Error}; not asked again for {RetryAfter}")]
    public static partial void IssuerUnavailable(ILogger logger, string issuer, string error, TimeSpan retryAfter);

    [LoggerMessage(EventId = 2404, Level = LogLevel.Information, Message = "OIDC issuer {Issuer}: {Count} signing keys loaded")]
    public static partial void IssuerKeysLoaded(ILogger logger, string issuer, int count);

    [LoggerMessage(EventId = 2405, Level = LogLevel.Warning, Message = "OIDC issuer {Issuer}: refreshing the keys failed ({Error}); the {Count} known keys stay in use")]
    public static partial void IssuerRefreshFailed(ILogger logger, string issuer, string error, int count);

    [LoggerMessage(EventId = 2406, Level = LogLevel.Debug, Message = "OIDC issuer {Issuer}: unknown key id; the JWKS was fetched less than {Interval} ago, not fetching again")]
    public static partial void UnknownKeyThrottled(ILogger logger, string issuer, TimeSpan interval);

    [LoggerMessage(EventId = 2407, Level = LogLevel.Warning, Message = "TokenReview failed: {Error}")]
    public static partial void TokenReviewFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 2408, Level = LogLevel.Debug, Message = "TokenReview did not authenticate the token: {Reason}")]
    public static partial void TokenReviewRejected(ILogger logger, string reason);

    [LoggerMessage(EventId = 2409, Level = LogLevel.Debug, Message = "Kubernetes caller {User} authenticated (admin: {IsAdmin})")]
    public static partial void TokenReviewAuthenticated(ILogger logger, string user, bool isAdmin);

    [LoggerMessage(EventId = 2410, Level = LogLevel.Warning, Message = "SubjectAccessReview for {User} on pool {Pool} ({Verb}) failed: {Error}")]
    public static partial void SubjectAccessReviewFailed(ILogger logger, string user, string pool, string verb, string error);

    [LoggerMessage(EventId = 2411, Level = LogLevel.Debug, Message = "{User} may not {Verb} pool {Pool}: {Reason}")]
    public static partial void AccessDenied(ILogger logger, string user, string verb, string pool, string reason);

    [LoggerMessage(EventId = 2412, Level = LogLevel.Debug, Message = "{User} may {Verb} pool {Pool}: {Reason}")]
    public static partial void AccessAllowed(ILogger logger, string user, string verb, string pool, string reason);

    [LoggerMessage(EventId = 2413, Level = LogLevel.Warning,
        Message = "BuildKitOIDCConfig {Config} is ignored: only configs in the controller namespace {ControllerNamespace} are trusted (an admin may trust every namespace explicitly)")]
    public static partial void ForeignOidcConfigIgnored(ILogger logger, string config, string controllerNamespace);

    [LoggerMessage(EventId = 2414, Level = LogLevel.Warning, Message = "TrustOidcConfigsFromAllNamespaces is on: BuildKitOIDCConfigs of every namespace are trusted cluster-wide")]
    public static partial void AllNamespacesTrusted(ILogger logger);
}
