namespace BuildKitController.Operator.Auth;

/// <summary>
/// The caller, or why it was not authenticated. <see cref="Error"/> is short and safe to return to the caller: it
/// never contains the token or its claims.
/// </summary>
internal sealed record AuthenticationResult(CallerIdentity? Identity, string? Error)
{
    /// <summary>
    /// The failure is not the caller's fault (the Kubernetes API server or an issuer could not be reached): answer
    /// 503 rather than 401, and let the client retry.
    /// </summary>
    public bool IsTransient { get; init; }

    public bool Succeeded => Identity is not null;

    public static AuthenticationResult Success(CallerIdentity identity) => new(identity, null);

    public static AuthenticationResult Failure(string error) => new(null, error);

    public static AuthenticationResult Unavailable(string error) => new(null, error) { IsTransient = true };
}
