using BuildKitController.Core.Api.V1Alpha1;
using BuildKitController.Kubernetes.Client;
using BuildKitController.Kubernetes.Errors;
using BuildKitController.Kubernetes.Models.AuthorizationV1;

namespace BuildKitController.Operator.Auth.Kubernetes;

/// <summary>
/// Asks the API server whether cluster RBAC lets a Kubernetes caller use a pool (<c>POST
/// authorization.k8s.io/v1 subjectaccessreviews</c> with the caller's user and groups):
/// <list type="bullet">
/// <item><c>get</c> and <c>list</c>: verb <c>get</c> on <c>buildkitpools</c> <c>&lt;name&gt;</c> in the pool's
/// namespace (whoever may read the pool may see it in the API);</item>
/// <item>every other verb: verb <c>create</c> on the virtual subresource <c>buildkitpools/&lt;verb&gt;</c>
/// (<c>allocate</c>, <c>release</c>, <c>renew</c>, <c>certs</c>, <c>wake</c>), e.g. a Role with
/// <c>{apiGroups: [buildkit.smrt-devops.net], resources: [buildkitpools/allocate], verbs: [create]}</c>.</item>
/// </list>
/// Answers (allowed and denied) are cached for <see cref="AuthOptions.SubjectAccessReviewCacheTtl"/>; errors are
/// not cached and deny with <see cref="AuthorizationDecision.IsTransient"/>.
/// </summary>
internal sealed class SubjectAccessReviewer(KubernetesClient client, AuthOptions options, TimeProvider time, AuthMetrics? metrics, ILogger logger)
{
    private readonly ExpiringCache<string, AuthorizationDecision> _cache = new(time, options.MaxCacheEntries);

    /// <summary>The resource attributes asked for <paramref name="verb"/> on the pool.</summary>
    public static ResourceAttributes AttributesFor(string poolNamespace, string poolName, string verb) => verb is PoolVerbs.Get or PoolVerbs.List
        ? new ResourceAttributes { Group = BuildKitApi.Group, Resource = BuildKitPool.Resource.Plural, Verb = "get", Namespace = poolNamespace, Name = poolName }
        : new ResourceAttributes { Group = BuildKitApi.Group, Resource = BuildKitPool.Resource.Plural, Subresource = verb, Verb = "create", Namespace = poolNamespace, Name = poolName };

    public async Task<AuthorizationDecision> ReviewAsync(CallerIdentity caller, string poolNamespace, string poolName, string verb, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var attributes = AttributesFor(poolNamespace, poolName, verb);
        var key = string.Join('\n', caller.Name, string.Join(',', caller.Groups), poolNamespace, poolName, verb);
        if (_cache.TryGet(key, out var cached))
        {
            metrics?.RecordSubjectAccessReview("cached");
            return cached;
        }

        SubjectAccessReview review;
        try
        {
            review = await client.For<SubjectAccessReview>().CreateAsync(new SubjectAccessReview
            {
                Spec = new SubjectAccessReviewSpec { User = caller.Name, Groups = [.. caller.Groups], ResourceAttributes = attributes },
            }, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is KubernetesApiException or HttpRequestException or IOException or OperationCanceledException or System.Text.Json.JsonException)
        {
            metrics?.RecordSubjectAccessReview("error");
            AuthLog.SubjectAccessReviewFailed(logger, caller.Name, $"{poolNamespace}/{poolName}", verb, ex.Message);
            return AuthorizationDecision.Deny("the Kubernetes API server could not review access; try again later") with { IsTransient = true };
        }

        var what = Describe(attributes);
        var decision = review.Status is { Allowed: true, Denied: not true }
            ? AuthorizationDecision.Allow($"cluster RBAC allows {what}")
            : AuthorizationDecision.Deny($"cluster RBAC does not allow {what}");
        metrics?.RecordSubjectAccessReview(decision.Allowed ? "allowed" : "denied");
        _cache.Set(key, decision, options.SubjectAccessReviewCacheTtl);
        return decision;
    }

    private static string Describe(ResourceAttributes a) =>
        $"{a.Verb} on {a.Resource}{(a.Subresource is null ? "" : "/" + a.Subresource)} {a.Name} in namespace {a.Namespace}";
}
