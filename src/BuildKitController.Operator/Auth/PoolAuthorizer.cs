using BuildKitController.Core.Api.V1Alpha1;
using BuildKitController.Kubernetes.Client;
using BuildKitController.Operator.Auth.Kubernetes;
using BuildKitController.Operator.Auth.Rules;
using Microsoft.Extensions.Logging.Abstractions;

namespace BuildKitController.Operator.Auth;

/// <summary>
/// Pool authorization, in this order (first decisive step wins):
/// <list type="number">
/// <item>an identity scoped to a pool (its issuer came from that pool's <c>spec.auth.methods</c>) is refused on
/// every other pool;</item>
/// <item>admins may do everything;</item>
/// <item><c>lookup</c> (resolving allocation tokens, used by gateways): only the pool's gateway — the Kubernetes
/// user <c>system:serviceaccount:&lt;pool ns&gt;:&lt;pool&gt;-gateway</c> — or a
/// <see cref="AuthOptions.GatewayUsers"/> entry; never rules, claims or SubjectAccessReview;</item>
/// <item>a <c>pools</c> claim (<see cref="CallerIdentity.AllowedPools"/>) restricts: the pool must match one of
/// its patterns, whatever the rules say;</item>
/// <item><c>spec.auth.rbac.enabled: false</c>: every authenticated caller may use the pool (upstream's meaning;
/// an explicit choice of the pool's owner);</item>
/// <item><c>spec.auth.rbac</c> present (enabled is the default): a rule must match user, pool and claims; with
/// <see cref="AuthOptions.UseSubjectAccessReview"/>, a SubjectAccessReview that allows is an alternative grant for
/// Kubernetes callers;</item>
/// <item>no <c>spec.auth.rbac</c>: without SubjectAccessReview, ServiceAccounts of the pool's own namespace may
/// use it (the namespace's workloads) and nobody else; with SubjectAccessReview, cluster RBAC decides for
/// Kubernetes callers. OIDC callers always need a rule (a public issuer such as GitHub Actions mints tokens for
/// anyone).</item>
/// </list>
/// SubjectAccessReviews are made only for Kubernetes callers: an OIDC name is not a Kubernetes user, and RBAC
/// bindings for a user of the same name must not apply to it.
/// </summary>
internal sealed class PoolAuthorizer : IPoolAuthorizer
{
    private readonly AuthOptions _options;
    private readonly SubjectAccessReviewer? _reviewer;
    private readonly ILogger _logger;

    /// <param name="client">The Kubernetes client for SubjectAccessReviews; required when <see cref="AuthOptions.UseSubjectAccessReview"/> is on.</param>
    /// <param name="options">Admins, gateway identities, SubjectAccessReview switch and cache.</param>
    /// <param name="time">Clock of the SubjectAccessReview cache.</param>
    /// <param name="metrics">Where SubjectAccessReviews are counted; null counts nothing.</param>
    /// <param name="logger">Logs decisions at Debug and review failures at Warning; null logs nothing.</param>
    public PoolAuthorizer(KubernetesClient? client, AuthOptions options, TimeProvider time, AuthMetrics? metrics = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        if (options.UseSubjectAccessReview && client is null)
        {
            throw new ArgumentException("a Kubernetes client is needed for SubjectAccessReviews", nameof(client));
        }

        _options = options;
        _logger = logger ?? NullLogger.Instance;
        _reviewer = options.UseSubjectAccessReview ? new SubjectAccessReviewer(client!, options, time, metrics, _logger) : null;
    }

    public async Task<AuthorizationDecision> AuthorizeAsync(CallerIdentity caller, BuildKitPool pool, string verb, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(verb);
        var ns = pool.Metadata.Namespace ?? "";
        var name = pool.Metadata.Name ?? "";
        var decision = await DecideAsync(caller, ns, name, pool.Spec.Auth?.Rbac, verb, cancellationToken);
        if (decision.Allowed)
        {
            AuthLog.AccessAllowed(_logger, caller.Name, verb, $"{ns}/{name}", decision.Reason);
        }
        else
        {
            AuthLog.AccessDenied(_logger, caller.Name, verb, $"{ns}/{name}", decision.Reason);
        }

        return decision;
    }

    /// <summary>The Kubernetes user name of the gateway of pool <paramref name="poolName"/> in <paramref name="poolNamespace"/>.</summary>
    public string GatewayUser(string poolNamespace, string poolName) =>
        $"system:serviceaccount:{poolNamespace}:{poolName}{_options.GatewayServiceAccountSuffix}";

    private async Task<AuthorizationDecision> DecideAsync(CallerIdentity caller, string ns, string name, RbacConfig? rbac, string verb, CancellationToken cancellationToken)
    {
        var pool = $"{ns}/{name}";
        if (!PoolVerbs.All.Contains(verb, StringComparer.Ordinal))
        {
            return AuthorizationDecision.Deny($"unknown verb \"{verb}\"");
        }

        if (caller.PoolScope is { } scope && !string.Equals(scope, pool, StringComparison.Ordinal))
        {
            return AuthorizationDecision.Deny($"the caller's issuer is trusted only for pool {scope}");
        }

        if (caller.IsAdmin)
        {
            return AuthorizationDecision.Allow("the caller is an admin");
        }

        if (verb == PoolVerbs.Lookup)
        {
            return caller.IsKubernetesUser && (caller.Name == GatewayUser(ns, name) || _options.GatewayUsers.Contains(caller.Name, StringComparer.Ordinal))
                ? AuthorizationDecision.Allow("the caller is the pool's gateway")
                : AuthorizationDecision.Deny($"only the gateway of pool {pool} ({GatewayUser(ns, name)}) or an admin may look up its allocations");
        }

        if (caller.AllowedPools is { } allowed && !PoolRules.MatchesPool(allowed, ns, name))
        {
            return AuthorizationDecision.Deny($"the token's pools claim does not include pool {pool}");
        }

        if (rbac is not null)
        {
            if (rbac.Enabled == false)
            {
                return AuthorizationDecision.Allow($"pool {pool} has its access rules turned off (spec.auth.rbac.enabled: false)");
            }

            var rule = PoolRules.FirstMatch(rbac.Rules, caller, ns, name);
            if (rule >= 0)
            {
                return AuthorizationDecision.Allow($"spec.auth.rbac.rules[{rule}] of pool {pool} matches");
            }

            var denied = AuthorizationDecision.Deny($"no spec.auth.rbac rule of pool {pool} matches {caller.Name}");
            return await ReviewOrAsync(caller, ns, name, verb, denied, cancellationToken);
        }

        if (_reviewer is not null)
        {
            return await ReviewOrAsync(caller, ns, name, verb, AuthorizationDecision.Deny(caller.IsKubernetesUser
                ? $"pool {pool} has no spec.auth.rbac rules"
                : $"pool {pool} has no spec.auth.rbac rules, and OIDC callers need a rule"), cancellationToken);
        }

        return caller.IsKubernetesUser && caller.Name.StartsWith($"system:serviceaccount:{ns}:", StringComparison.Ordinal)
            ? AuthorizationDecision.Allow($"pool {pool} has no spec.auth.rbac rules and the caller is a ServiceAccount of namespace {ns}")
            : AuthorizationDecision.Deny($"pool {pool} has no spec.auth.rbac rules, so only ServiceAccounts of namespace {ns} may use it");
    }

    /// <summary>The SubjectAccessReview's decision for Kubernetes callers when reviews are on; otherwise <paramref name="otherwise"/>.</summary>
    private async Task<AuthorizationDecision> ReviewOrAsync(CallerIdentity caller, string ns, string name, string verb, AuthorizationDecision otherwise, CancellationToken cancellationToken)
    {
        if (_reviewer is null || !caller.IsKubernetesUser)
        {
            return otherwise;
        }

        var review = await _reviewer.ReviewAsync(caller, ns, name, verb, cancellationToken);
        return review.Allowed || review.IsTransient ? review : otherwise with { Reason = $"{otherwise.Reason}, and {review.Reason}" };
    }
}
