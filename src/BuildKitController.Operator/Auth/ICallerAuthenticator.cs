using BuildKitController.Core.Api.V1Alpha1;

namespace BuildKitController.Operator.Auth;

/// <summary>Establishes who sent an API request.</summary>
internal interface ICallerAuthenticator
{
    /// <summary>Authenticates a request.</summary>
    /// <param name="authorization">The raw <c>Authorization</c> header value (may be null).</param>
    /// <param name="pool">The pool the request targets when known: the OIDC methods in its <c>spec.auth.methods</c>
    /// are trusted for this request only, and identities from them are scoped to it (<see cref="CallerIdentity.PoolScope"/>).</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    Task<AuthenticationResult> AuthenticateAsync(string? authorization, BuildKitPool? pool, CancellationToken cancellationToken);
}
