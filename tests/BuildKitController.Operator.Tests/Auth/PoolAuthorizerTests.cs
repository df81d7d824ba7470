using BuildKitController.Core.Api.V1Alpha1;
using BuildKitController.Operator.Auth;

namespace BuildKitController.Operator.Tests.Auth;

/// <summary>The authorization matrix: pool rules (users, pools, claims), the pools claim, admins, the default without rules, lookup.</summary>
public sealed class PoolAuthorizerTests
{
    private const string Ns = "team-a";

    private static readonly PoolAuthorizer Authorizer = new(client: null, new AuthOptions { ControllerNamespace = "buildkit-system", GatewayUsers = ["system:serviceaccount:buildkit-system:shared-gateway"] }, TimeProvider.System);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly RbacConfig Rules = new()
    {
        Rules =
        [
            new RbacRule { Users = ["system:serviceaccount:team-a:*"], Pools = ["ci-*"] },
            new RbacRule { Users = ["my-org/*"], Pools = ["team-a/ci-*"], Claims = new() { ["ref"] = "refs/heads/main" } },
            new RbacRule { Users = ["*"], Pools = ["*"], Claims = new() { ["project_path"] = "group/app", ["ref_type"] = "branch" } },
            new RbacRule { Users = ["*"], Pools = ["release"], Claims = new() { ["environment"] = "prod*" } },
        ],
    };

    internal static CallerIdentity Kubernetes(string user, bool admin = false, params string[] groups) =>
        new(user, CallerMethods.ServiceAccount, groups, null, null, new Dictionary<string, string> { ["sub"] = user }, admin);

    internal static CallerIdentity Oidc(string user, Dictionary<string, string>? claims = null, IReadOnlyList<string>? pools = null) =>
        new(user, CallerMethods.Oidc, [], "https://token.actions.githubusercontent.com", pools, claims ?? new Dictionary<string, string>(), false);

    private static BuildKitPool Pool(string name, RbacConfig? rbac) => AuthHarness.Pool(Ns, name, rbac is null ? null : new AuthConfig { Rbac = rbac });

    public static TheoryData<string, string, bool> RuleCases => new()
    {
        { "ServiceAccount of team-a on ci-main", "ci-main", true },
        { "ServiceAccount of team-b on ci-main", "ci-main", false },
        { "ServiceAccount of team-a on build (pool pattern)", "build", false },
        { "GitHub my-org/app on main", "ci-main", true },
        { "GitHub my-org/app on a feature branch", "ci-main", false },
        { "GitHub other-org/app on main", "ci-main", false },
        { "GitHub my-org/app on main without the ref claim", "ci-main", false },
        { "GitLab group/app branch", "anything", true },
        { "GitLab group/app tag", "anything", false },
        { "GitLab group/other branch", "anything", false },
        { "GitHub production environment on release", "release", true },
        { "GitHub staging environment on release", "release", false },
        { "admin on a pool whose rules do not name it", "ci-main", true },
        { "pools claim allows ci-* (rule matches)", "ci-main", true },
        { "pools claim allows team-a/ci-main (rule matches)", "ci-main", true },
        { "pools claim allows other-* (rule matches)", "ci-main", false },
        { "empty pools claim (rule matches)", "ci-main", false },
    };

    [Theory]
    [MemberData(nameof(RuleCases))]
    public async Task Pool_rules_match_users_pools_and_claims(string name, string pool, bool allowed)
    {
        var github = (string repo, string gitRef) => new Dictionary<string, string> { ["repository"] = repo, ["ref"] = gitRef };
        var caller = name switch
        {
            "ServiceAccount of team-a on ci-main" or "ServiceAccount of team-a on build (pool pattern)" => Kubernetes("system:serviceaccount:team-a:builder"),
            "ServiceAccount of team-b on ci-main" => Kubernetes("system:serviceaccount:team-b:builder"),
            "GitHub my-org/app on main" => Oidc("my-org/app", github("my-org/app", "refs/heads/main")),
            "GitHub my-org/app on a feature branch" => Oidc("my-org/app", github("my-org/app", "refs/heads/feature")),
            "GitHub other-org/app on main" => Oidc("other-org/app", github("other-org/app", "refs/heads/main")),
            "GitHub my-org/app on main without the ref claim" => Oidc("my-org/app"),
            "GitLab group/app branch" => Oidc("project_path:group/app", new() { ["project_path"] = "group/app", ["ref_type"] = "branch" }),
            "GitLab group/app tag" => Oidc("project_path:group/app", new() { ["project_path"] = "group/app", ["ref_type"] = "tag" }),
            "GitLab group/other branch" => Oidc("project_path:group/other", new() { ["project_path"] = "group/other", ["ref_type"] = "branch" }),
            "GitHub production environment on release" => Oidc("octocat", new() { ["environment"] = "production" }),
            "GitHub staging environment on release" => Oidc("octocat", new() { ["environment"] = "staging" }),
            "admin on a pool whose rules do not name it" => Kubernetes("alice", admin: true),
            "pools claim allows ci-* (rule matches)" => Oidc("my-org/app", github("my-org/app", "refs/heads/main"), ["ci-*"]),
            "pools claim allows team-a/ci-main (rule matches)" => Oidc("my-org/app", github("my-org/app", "refs/heads/main"), ["team-a/ci-main"]),
            "pools claim allows other-* (rule matches)" => Oidc("my-org/app", github("my-org/app", "refs/heads/main"), ["other-*"]),
            "empty pools claim (rule matches)" => Oidc("my-org/app", github("my-org/app", "refs/heads/main"), []),
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, "unknown case"),
        };

        foreach (var verb in new[] { PoolVerbs.Allocate, PoolVerbs.Release, PoolVerbs.Renew, PoolVerbs.Certificates, PoolVerbs.Wake, PoolVerbs.Get, PoolVerbs.List })
        {
            var decision = await Authorizer.AuthorizeAsync(caller, Pool(pool, Rules), verb, Ct);

            Assert.True(allowed == decision.Allowed, $"{name}, {verb}: {decision.Reason}");
            Assert.False(string.IsNullOrEmpty(decision.Reason));
        }
    }

    [Fact]
    public async Task Denials_say_why()
    {
        var noRule = await Authorizer.AuthorizeAsync(Kubernetes("system:serviceaccount:team-b:builder"), Pool("ci-main", Rules), PoolVerbs.Allocate, Ct);
        var claim = await Authorizer.AuthorizeAsync(Oidc("my-org/app", pools: ["other"]), Pool("ci-main", Rules), PoolVerbs.Allocate, Ct);
        var allowed = await Authorizer.AuthorizeAsync(Kubernetes("system:serviceaccount:team-a:builder"), Pool("ci-main", Rules), PoolVerbs.Allocate, Ct);

        Assert.Equal("no spec.auth.rbac rule of pool team-a/ci-main matches system:serviceaccount:team-b:builder", noRule.Reason);
        Assert.Equal("the token's pools claim does not include pool team-a/ci-main", claim.Reason);
        Assert.Equal("spec.auth.rbac.rules[0] of pool team-a/ci-main matches", allowed.Reason);
    }

    [Theory]
    [InlineData("system:serviceaccount:team-a:builder", true, true)]
    [InlineData("system:serviceaccount:team-b:builder", true, false)]
    [InlineData("alice", true, false)]
    [InlineData("system:serviceaccount:team-a:builder", false, false)]
    public async Task Without_rules_only_ServiceAccounts_of_the_pools_namespace_may_use_it(string user, bool kubernetes, bool allowed)
    {
        var caller = kubernetes ? Kubernetes(user) : Oidc(user);

        var decision = await Authorizer.AuthorizeAsync(caller, Pool("ci", rbac: null), PoolVerbs.Allocate, Ct);

        Assert.Equal(allowed, decision.Allowed);
    }

    [Fact]
    public async Task Rules_turned_off_admit_every_authenticated_caller_and_enabled_rules_without_entries_admit_none()
    {
        var off = Pool("ci", new RbacConfig { Enabled = false, Rules = [new RbacRule { Users = ["nobody"], Pools = ["*"] }] });
        var empty = Pool("ci", new RbacConfig());

        Assert.True((await Authorizer.AuthorizeAsync(Oidc("anyone"), off, PoolVerbs.Allocate, Ct)).Allowed);
        Assert.True((await Authorizer.AuthorizeAsync(Kubernetes("system:serviceaccount:team-b:x"), off, PoolVerbs.Allocate, Ct)).Allowed);
        Assert.False((await Authorizer.AuthorizeAsync(Oidc("anyone", pools: ["other"]), off, PoolVerbs.Allocate, Ct)).Allowed);
        Assert.False((await Authorizer.AuthorizeAsync(Kubernetes("system:serviceaccount:team-a:builder"), empty, PoolVerbs.Allocate, Ct)).Allowed);
    }

    [Theory]
    [InlineData("system:serviceaccount:team-a:ci-gateway", true, true)]
    [InlineData("system:serviceaccount:buildkit-system:shared-gateway", true, true)]
    [InlineData("system:serviceaccount:team-a:other-gateway", true, false)]
    [InlineData("system:serviceaccount:team-b:ci-gateway", true, false)]
    [InlineData("system:serviceaccount:team-a:builder", true, false)]
    [InlineData("system:serviceaccount:team-a:ci-gateway", false, false)]
    public async Task Lookup_is_only_for_the_pools_gateway_or_an_admin(string user, bool kubernetes, bool allowed)
    {
        var caller = kubernetes ? Kubernetes(user) : Oidc(user);
        var open = Pool("ci", new RbacConfig { Enabled = false });

        var decision = await Authorizer.AuthorizeAsync(caller, open, PoolVerbs.Lookup, Ct);

        Assert.Equal(allowed, decision.Allowed);
        if (!allowed)
        {
            Assert.Contains("system:serviceaccount:team-a:ci-gateway", decision.Reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task An_admin_may_look_up_and_a_gateway_may_only_look_up()
    {
        var gateway = Kubernetes("system:serviceaccount:team-a:ci-gateway");

        Assert.True((await Authorizer.AuthorizeAsync(Kubernetes("root", admin: true), Pool("ci", null), PoolVerbs.Lookup, Ct)).Allowed);
        Assert.False((await Authorizer.AuthorizeAsync(gateway, Pool("ci", Rules), PoolVerbs.Allocate, Ct)).Allowed);
    }

    [Fact]
    public async Task Unknown_verbs_are_denied()
    {
        var decision = await Authorizer.AuthorizeAsync(Kubernetes("root", admin: true), Pool("ci", null), "delete", Ct);

        Assert.False(decision.Allowed);
    }
}
