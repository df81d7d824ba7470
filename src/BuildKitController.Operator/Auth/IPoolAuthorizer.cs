using BuildKitController.Core.Api.V1Alpha1;

namespace BuildKitController.Operator.Auth;

/// <summary>Decides whether an authenticated caller may do a <see cref="PoolVerbs"/> verb on a pool.</summary>
internal interface IPoolAuthorizer
{
    Task<AuthorizationDecision> AuthorizeAsync(CallerIdentity caller, BuildKitPool pool, string verb, CancellationToken cancellationToken);
}
