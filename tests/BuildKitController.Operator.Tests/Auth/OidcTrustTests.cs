using System.Text.Json.Nodes;
using BuildKitController.Core.Api.V1Alpha1;
using BuildKitController.Operator.Auth;
using BuildKitController.Testing.Oidc;

namespace BuildKitController.Operator.Tests.Auth;

/// <summary>Which issuers are trusted (controller namespace, the admin flag, pool-level methods) and how tokens map to identities.</summary>
public sealed class OidcTrustTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Bearer(TestOidcIssuer issuer, TestTokenOptions? options = null) => "Bearer " + issuer.CreateToken(options);

    [Fact]
    public async Task Configs_outside_the_controller_namespace_are_ignored_unless_the_admin_flag_is_set()
    {
        await using var h = await AuthHarness.StartAsync(issuer => [AuthHarness.Config(AuthHarness.TenantNamespace, "tenant-issuer", issuer.Issuer)]);
        var strict = h.CreateAuthenticator();
        var open = h.CreateAuthenticator(new AuthOptions { TrustOidcConfigsFromAllNamespaces = true });
        var token = Bearer(h.Issuer);

        var refused = await strict.AuthenticateAsync(token, null, Ct);

        Assert.False(refused.Succeeded);
        Assert.Single(h.TokenReviews);
        Assert.Equal(0, h.Issuer.DiscoveryRequestCount);

        var accepted = await open.AuthenticateAsync(token, null, Ct);

        Assert.True(accepted.Succeeded, accepted.Error);
        Assert.Single(h.TokenReviews);
        Assert.Equal("test-subject", accepted.Identity!.Name);
        Assert.Null(accepted.Identity.PoolScope);
        Assert.Contains(h.Logs.Entries, e => e.Id.Id == 2413 && e.Message.Contains($"{AuthHarness.TenantNamespace}/tenant-issuer", StringComparison.Ordinal));
        Assert.Contains(h.Logs.Entries, e => e.Id.Id == 2414);
    }

    [Fact]
    public async Task A_disabled_config_is_not_trusted()
    {
        await using var h = await AuthHarness.StartAsync(issuer => [AuthHarness.Config(AuthHarness.ControllerNamespace, "off", issuer.Issuer, enabled: false)]);
        var authenticator = h.CreateAuthenticator();

        var result = await authenticator.AuthenticateAsync(Bearer(h.Issuer), null, Ct);

        Assert.False(result.Succeeded);
        Assert.Equal(0, h.Issuer.DiscoveryRequestCount);
    }

    [Fact]
    public async Task A_pool_level_OIDC_method_is_trusted_only_for_requests_to_that_pool()
    {
        await using var h = await AuthHarness.StartAsync();
        var authenticator = h.CreateAuthenticator();
        var pool = AuthHarness.Pool(AuthHarness.TenantNamespace, "ci", new AuthConfig
        {
            Methods = [new AuthMethod { Type = AuthMethodTypes.Oidc, Oidc = new OidcAuthConfig { Issuer = h.Issuer.Issuer, Audience = "pool-audience" } }],
        });
        var other = AuthHarness.Pool(AuthHarness.TenantNamespace, "other");
        var token = Bearer(h.Issuer, new TestTokenOptions { Audience = "pool-audience" });

        var forPool = await authenticator.AuthenticateAsync(token, pool, Ct);
        var forOther = await authenticator.AuthenticateAsync(token, other, Ct);
        var forNone = await authenticator.AuthenticateAsync(token, null, Ct);

        Assert.True(forPool.Succeeded, forPool.Error);
        Assert.Equal($"{AuthHarness.TenantNamespace}/ci", forPool.Identity!.PoolScope);
        Assert.Equal($"pool {AuthHarness.TenantNamespace}/ci", forPool.Identity.Source);
        Assert.False(forOther.Succeeded);
        Assert.False(forNone.Succeeded);
        Assert.Equal(2, h.TokenReviews.Count);

        var authorizer = h.CreateAuthorizer();
        var open = new RbacConfig { Enabled = false };
        Assert.True((await authorizer.AuthorizeAsync(forPool.Identity, pool with { Spec = new BuildKitPoolSpec { Auth = new AuthConfig { Rbac = open } } }, PoolVerbs.Allocate, Ct)).Allowed);
        var elsewhere = await authorizer.AuthorizeAsync(forPool.Identity, AuthHarness.Pool(AuthHarness.TenantNamespace, "other", new AuthConfig { Rbac = open }), PoolVerbs.Allocate, Ct);
        Assert.False(elsewhere.Allowed);
        Assert.Contains("trusted only for pool team-a/ci", elsewhere.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verifiers_are_per_issuer_and_audience_and_share_the_issuer_keys()
    {
        await using var h = await AuthHarness.StartAsync(issuer =>
        [
            AuthHarness.Config(AuthHarness.ControllerNamespace, "a", issuer.Issuer, "audience-a", new ClaimsMapping { User = "actor" }),
            AuthHarness.Config(AuthHarness.ControllerNamespace, "b", issuer.Issuer, "audience-b", new ClaimsMapping { User = "repository" }),
        ]);
        var authenticator = h.CreateAuthenticator();
        var claims = TestTokenClaims.GitHubActions("my-org/app");

        var a = await authenticator.AuthenticateAsync(Bearer(h.Issuer, new TestTokenOptions { Audience = "audience-a", Subject = null, Claims = claims }), null, Ct);
        var b = await authenticator.AuthenticateAsync(Bearer(h.Issuer, new TestTokenOptions { Audience = "audience-b", Subject = null, Claims = claims }), null, Ct);
        var neither = await authenticator.AuthenticateAsync(Bearer(h.Issuer, new TestTokenOptions { Audience = "audience-c", Claims = claims }), null, Ct);

        Assert.Equal("octocat", a.Identity!.Name);
        Assert.Equal("BuildKitOIDCConfig buildkit-system/a", a.Identity.Source);
        Assert.Equal("my-org/app", b.Identity!.Name);
        Assert.False(neither.Succeeded);
        Assert.Contains("audience", neither.Error, StringComparison.Ordinal);
        Assert.Equal(2, authenticator.CachedVerifierCount);
        Assert.Equal((1, 1), (h.Issuer.DiscoveryRequestCount, h.Issuer.JwksRequestCount));
    }

    [Fact]
    public async Task GitHub_and_GitLab_claims_are_kept_for_rules_and_the_identity_comes_from_the_mapping()
    {
        await using var h = await AuthHarness.StartAsync(issuer =>
        [
            AuthHarness.Config(AuthHarness.ControllerNamespace, "github", issuer.Issuer, "github", new ClaimsMapping { User = "repository" }),
            AuthHarness.Config(AuthHarness.ControllerNamespace, "gitlab", issuer.Issuer, "gitlab"),
        ]);
        var authenticator = h.CreateAuthenticator();

        var github = (await authenticator.AuthenticateAsync(Bearer(h.Issuer, new TestTokenOptions
        {
            Audience = "github",
            Subject = null,
            Claims = TestTokenClaims.GitHubActions("my-org/app", "refs/heads/main", environment: "production"),
        }), null, Ct)).Identity!;
        var gitlab = (await authenticator.AuthenticateAsync(Bearer(h.Issuer, new TestTokenOptions
        {
            Audience = "gitlab",
            Subject = null,
            Claims = TestTokenClaims.GitLab("group/app", "v1.0", "tag"),
        }), null, Ct)).Identity!;

        Assert.Equal("my-org/app", github.Name);
        Assert.Equal(CallerMethods.Oidc, github.Method);
        Assert.Equal(h.Issuer.Issuer, github.Issuer);
        Assert.Empty(github.Groups);
        Assert.False(github.IsAdmin);
        Assert.Null(github.AllowedPools);
        Assert.Equal("refs/heads/main", github.Claims["ref"]);
        Assert.Equal("production", github.Claims["environment"]);
        Assert.Equal("my-org/app", github.Claims["repository"]);
        Assert.Equal("repo:my-org/app:environment:production", github.Claims["sub"]);
        Assert.Equal($"oidc:{h.Issuer.Issuer}#my-org/app", github.QualifiedName);
        Assert.Equal("project_path:group/app:ref_type:tag:ref:v1.0", gitlab.Name);
        Assert.Equal("group/app", gitlab.Claims["project_path"]);
        Assert.Equal("group", gitlab.Claims["namespace_path"]);
        Assert.Equal("tag", gitlab.Claims["ref_type"]);
    }

    [Theory]
    [InlineData("array", new[] { "ci-*", "team-a/build" })]
    [InlineData("string", new[] { "ci-*", "team-a/build" })]
    [InlineData("missing", new string[0])]
    [InlineData("number", new string[0])]
    public async Task The_pools_claim_becomes_the_allowed_pools(string shape, string[] expected)
    {
        await using var h = await AuthHarness.StartAsync(issuer =>
            [AuthHarness.Config(AuthHarness.ControllerNamespace, "ci", issuer.Issuer, mapping: new ClaimsMapping { Pools = "buildkit_pools" })]);
        var authenticator = h.CreateAuthenticator();
        var claims = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        switch (shape)
        {
            case "array":
                claims["buildkit_pools"] = new JsonArray("ci-*", "team-a/build", 42);
                break;
            case "string":
                claims["buildkit_pools"] = "ci-*, team-a/build";
                break;
            case "number":
                claims["buildkit_pools"] = 7;
                break;
        }

        var identity = (await authenticator.AuthenticateAsync(Bearer(h.Issuer, new TestTokenOptions { Claims = claims }), null, Ct)).Identity!;

        Assert.Equal(expected, identity.AllowedPools);
    }

    [Theory]
    [InlineData("system:serviceaccount:kube-system:admin", "reserved prefix system:")]
    [InlineData("system:masters", "reserved prefix system:")]
    [InlineData(null, "has no string claim \"sub\"")]
    public async Task Identities_that_are_missing_or_impersonate_Kubernetes_users_are_refused(string? subject, string error)
    {
        await using var h = await AuthHarness.StartAsync(issuer => [AuthHarness.Config(AuthHarness.ControllerNamespace, "ci", issuer.Issuer)]);
        var authenticator = h.CreateAuthenticator();

        var result = await authenticator.AuthenticateAsync(Bearer(h.Issuer, new TestTokenOptions { Subject = subject }), null, Ct);

        Assert.False(result.Succeeded);
        Assert.Contains(error, result.Error, StringComparison.Ordinal);
        Assert.Contains("result=\"invalid_identity\"} 1\n", h.Scrape(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_configured_user_claim_that_is_missing_does_not_fall_back_to_sub()
    {
        await using var h = await AuthHarness.StartAsync(issuer =>
            [AuthHarness.Config(AuthHarness.ControllerNamespace, "ci", issuer.Issuer, mapping: new ClaimsMapping { User = "repository" })]);
        var authenticator = h.CreateAuthenticator();

        var result = await authenticator.AuthenticateAsync(Bearer(h.Issuer), null, Ct);

        Assert.False(result.Succeeded);
        Assert.Contains("\"repository\"", result.Error, StringComparison.Ordinal);
    }
}
