namespace BuildKitController.Operator.Auth;

/// <summary>
/// Who is calling the API, as established by an <see cref="ICallerAuthenticator"/>.
/// </summary>
/// <param name="Name">The identity used for ownership and rules: for Kubernetes callers the API server's user name
/// (<c>system:serviceaccount:&lt;ns&gt;:&lt;name&gt;</c> for ServiceAccounts), for OIDC callers the claim named by
/// <c>claimsMapping.user</c> (default <c>sub</c>), for dev mode <c>dev-user</c>.</param>
/// <param name="Method">One of <see cref="CallerMethods"/>.</param>
/// <param name="Groups">Kubernetes groups from the TokenReview; empty for OIDC.</param>
/// <param name="Issuer">The OIDC issuer; null otherwise.</param>
/// <param name="AllowedPools">Pool patterns from the <c>claimsMapping.pools</c> claim (string or array claim); null
/// means no restriction, an empty list allows no pool.</param>
/// <param name="Claims">Scalar claims usable in <c>spec.auth.rbac.rules[].claims</c> (GitHub <c>repository</c>,
/// <c>ref</c>, <c>environment</c>; GitLab <c>project_path</c>, <c>namespace_path</c>, <c>ref_type</c>; <c>sub</c>, …).
/// Never logged.</param>
/// <param name="IsAdmin">The caller may do everything (configured admin users or groups; dev mode).</param>
internal sealed record CallerIdentity(
    string Name,
    string Method,
    IReadOnlyList<string> Groups,
    string? Issuer,
    IReadOnlyList<string>? AllowedPools,
    IReadOnlyDictionary<string, string> Claims,
    bool IsAdmin)
{
    /// <summary>
    /// <c>namespace/name</c> of the only pool this identity is valid for: set when the issuer was trusted through that
    /// pool's own <c>spec.auth.methods[type=oidc]</c>. The authorizer refuses every other pool.
    /// </summary>
    public string? PoolScope { get; init; }

    /// <summary>
    /// Where the identity was established: <c>BuildKitOIDCConfig ns/name</c>, <c>pool ns/name</c>, <c>TokenReview</c>
    /// or <c>dev mode</c> (for audit logs).
    /// </summary>
    public string Source { get; init; } = "";

    /// <summary>
    /// A name that cannot collide across methods and issuers: <see cref="Name"/> for Kubernetes and dev callers,
    /// <c>oidc:&lt;issuer&gt;#&lt;name&gt;</c> for OIDC callers (two issuers may both mint <c>octocat</c>).
    /// </summary>
    public string QualifiedName => Method == CallerMethods.Oidc ? $"oidc:{Issuer}#{Name}" : Name;

    /// <summary>Whether the Kubernetes API server vouched for this identity (so it is a Kubernetes user that RBAC and SubjectAccessReview know).</summary>
    public bool IsKubernetesUser => Method == CallerMethods.ServiceAccount;
}
