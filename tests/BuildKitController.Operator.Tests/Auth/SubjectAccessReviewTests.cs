using BuildKitController.Core.Api.V1Alpha1;
using BuildKitController.Operator.Auth;

namespace BuildKitController.Operator.Tests.Auth;

/// <summary>Cluster RBAC through SubjectAccessReviews on the virtual resource <c>buildkitpools/&lt;verb&gt;</c>.</summary>
public sealed class SubjectAccessReviewTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly AuthOptions WithReviews = new() { UseSubjectAccessReview = true };

    private static BuildKitPool Pool(RbacConfig? rbac = null) => AuthHarness.Pool(AuthHarness.TenantNamespace, "ci", rbac is null ? null : new AuthConfig { Rbac = rbac });

    [Fact]
    public async Task The_review_asks_for_create_on_the_verb_subresource_with_the_callers_user_and_groups()
    {
        await using var h = await AuthHarness.StartAsync();
        h.AccessRule = spec => spec.User == "alice" && spec.ResourceAttributes!.Subresource == PoolVerbs.Allocate;
        var authorizer = h.CreateAuthorizer(WithReviews);
        var alice = PoolAuthorizerTests.Kubernetes("alice", false, "devs", "system:authenticated");

        var allocate = await authorizer.AuthorizeAsync(alice, Pool(), PoolVerbs.Allocate, Ct);
        var release = await authorizer.AuthorizeAsync(alice, Pool(), PoolVerbs.Release, Ct);

        Assert.True(allocate.Allowed, allocate.Reason);
        Assert.Equal("cluster RBAC allows create on buildkitpools/allocate ci in namespace team-a", allocate.Reason);
        Assert.False(release.Allowed);
        var review = h.AccessReviews[0];
        Assert.Equal("alice", review.User);
        Assert.Equal(["devs", "system:authenticated"], review.Groups!);
        Assert.Equal(BuildKitApi.Group, review.ResourceAttributes!.Group);
        Assert.Equal("buildkitpools", review.ResourceAttributes.Resource);
        Assert.Equal("allocate", review.ResourceAttributes.Subresource);
        Assert.Equal("create", review.ResourceAttributes.Verb);
        Assert.Equal(AuthHarness.TenantNamespace, review.ResourceAttributes.Namespace);
        Assert.Equal("ci", review.ResourceAttributes.Name);
    }

    [Fact]
    public async Task Get_and_list_ask_for_get_on_the_pool_itself()
    {
        await using var h = await AuthHarness.StartAsync();
        h.AccessRule = spec => spec.ResourceAttributes is { Verb: "get", Subresource: null };
        var authorizer = h.CreateAuthorizer(WithReviews);
        var alice = PoolAuthorizerTests.Kubernetes("alice");

        Assert.True((await authorizer.AuthorizeAsync(alice, Pool(), PoolVerbs.Get, Ct)).Allowed);
        Assert.True((await authorizer.AuthorizeAsync(alice, Pool(), PoolVerbs.List, Ct)).Allowed);
        Assert.False((await authorizer.AuthorizeAsync(alice, Pool(), PoolVerbs.Wake, Ct)).Allowed);
    }

    [Fact]
    public async Task With_reviews_on_a_pool_without_rules_is_governed_by_cluster_RBAC_only()
    {
        await using var h = await AuthHarness.StartAsync();
        var authorizer = h.CreateAuthorizer(WithReviews);

        var sameNamespace = await authorizer.AuthorizeAsync(PoolAuthorizerTests.Kubernetes("system:serviceaccount:team-a:builder"), Pool(), PoolVerbs.Allocate, Ct);

        Assert.False(sameNamespace.Allowed);
        Assert.Equal("pool team-a/ci has no spec.auth.rbac rules, and cluster RBAC does not allow create on buildkitpools/allocate ci in namespace team-a", sameNamespace.Reason);
    }

    [Fact]
    public async Task A_review_is_an_alternative_grant_to_pool_rules()
    {
        await using var h = await AuthHarness.StartAsync();
        h.AccessRule = spec => spec.User == "alice";
        var authorizer = h.CreateAuthorizer(WithReviews);
        var rules = new RbacConfig { Rules = [new RbacRule { Users = ["bob"], Pools = ["*"] }] };

        Assert.True((await authorizer.AuthorizeAsync(PoolAuthorizerTests.Kubernetes("bob"), Pool(rules), PoolVerbs.Allocate, Ct)).Allowed);
        Assert.True((await authorizer.AuthorizeAsync(PoolAuthorizerTests.Kubernetes("alice"), Pool(rules), PoolVerbs.Allocate, Ct)).Allowed);
        Assert.False((await authorizer.AuthorizeAsync(PoolAuthorizerTests.Kubernetes("carol"), Pool(rules), PoolVerbs.Allocate, Ct)).Allowed);
        Assert.Equal(["alice", "carol"], h.AccessReviews.Select(r => r.User));
    }

    [Fact]
    public async Task OIDC_callers_are_never_reviewed_so_RBAC_bindings_for_a_same_named_user_do_not_apply()
    {
        await using var h = await AuthHarness.StartAsync();
        h.AccessRule = _ => true;
        var authorizer = h.CreateAuthorizer(WithReviews);

        var withoutRules = await authorizer.AuthorizeAsync(PoolAuthorizerTests.Oidc("alice"), Pool(), PoolVerbs.Allocate, Ct);
        var withRules = await authorizer.AuthorizeAsync(PoolAuthorizerTests.Oidc("alice"), Pool(new RbacConfig { Rules = [new RbacRule { Users = ["bob"], Pools = ["*"] }] }), PoolVerbs.Allocate, Ct);

        Assert.False(withoutRules.Allowed);
        Assert.Contains("OIDC callers need a rule", withoutRules.Reason, StringComparison.Ordinal);
        Assert.False(withRules.Allowed);
        Assert.Empty(h.AccessReviews);
    }

    [Fact]
    public async Task Lookup_never_consults_cluster_RBAC()
    {
        await using var h = await AuthHarness.StartAsync();
        h.AccessRule = _ => true;
        var authorizer = h.CreateAuthorizer(WithReviews);

        Assert.False((await authorizer.AuthorizeAsync(PoolAuthorizerTests.Kubernetes("alice"), Pool(), PoolVerbs.Lookup, Ct)).Allowed);
        Assert.Empty(h.AccessReviews);
    }

    [Fact]
    public async Task Answers_are_cached_for_the_TTL()
    {
        await using var h = await AuthHarness.StartAsync();
        h.AccessRule = spec => spec.User == "alice";
        var authorizer = h.CreateAuthorizer(WithReviews);

        for (var i = 0; i < 3; i++)
        {
            Assert.True((await authorizer.AuthorizeAsync(PoolAuthorizerTests.Kubernetes("alice"), Pool(), PoolVerbs.Allocate, Ct)).Allowed);
            Assert.False((await authorizer.AuthorizeAsync(PoolAuthorizerTests.Kubernetes("bob"), Pool(), PoolVerbs.Allocate, Ct)).Allowed);
        }

        Assert.Equal(2, h.AccessReviews.Count);
        h.AccessRule = _ => false;
        h.Time.Advance(TimeSpan.FromSeconds(10));

        Assert.False((await authorizer.AuthorizeAsync(PoolAuthorizerTests.Kubernetes("alice"), Pool(), PoolVerbs.Allocate, Ct)).Allowed);
        Assert.Equal(3, h.AccessReviews.Count);
        Assert.Contains("buildkit_controller_subject_access_reviews_total{result=\"cached\"} 4\n", h.Scrape(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_review_denies_transiently_and_is_not_cached()
    {
        await using var h = await AuthHarness.StartAsync();
        h.AccessRule = _ => true;
        var authorizer = h.CreateAuthorizer(WithReviews);
        h.Server.Faults.FailNext(1, 403, r => r.Path.Contains("subjectaccessreviews", StringComparison.Ordinal));

        var failed = await authorizer.AuthorizeAsync(PoolAuthorizerTests.Kubernetes("alice"), Pool(), PoolVerbs.Allocate, Ct);
        var retried = await authorizer.AuthorizeAsync(PoolAuthorizerTests.Kubernetes("alice"), Pool(), PoolVerbs.Allocate, Ct);

        Assert.False(failed.Allowed);
        Assert.True(failed.IsTransient);
        Assert.True(retried.Allowed);
    }

    [Fact]
    public void Reviews_need_a_client()
    {
        Assert.Throws<ArgumentException>(() => new PoolAuthorizer(null, WithReviews, TimeProvider.System));
    }
}
