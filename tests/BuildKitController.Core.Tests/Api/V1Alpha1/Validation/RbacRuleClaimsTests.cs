using System.Text.Json;
using BuildKitController.Core.Api.V1Alpha1;
using BuildKitController.Core.Api.V1Alpha1.Validation;
using BuildKitController.Core.Serialization;

namespace BuildKitController.Core.Tests.Api.V1Alpha1.Validation;

/// <summary><c>spec.auth.rbac.rules[].claims</c>: claim name → pattern, for GitHub Actions and GitLab claims in pool rules.</summary>
public sealed class RbacRuleClaimsTests
{
    private static BuildKitPool Pool(string rules) =>
        JsonSerializer.Deserialize("""{"apiVersion":"buildkit.smrt-devops.net/v1alpha1","kind":"BuildKitPool","metadata":{"name":"ci"},"spec":{"auth":{"rbac":{"rules":""" + rules + "}}}}",
            CoreJsonContext.Default.BuildKitPool)!;

    [Fact]
    public void Claims_are_read_and_written_back()
    {
        var pool = Pool("""[{"users":["my-org/*"],"pools":["ci-*"],"claims":{"ref":"refs/heads/main","environment":"prod*"}}]""");

        var rule = Assert.Single(pool.Spec.Auth!.Rbac!.Rules!);
        Assert.Equal("refs/heads/main", rule.Claims!["ref"]);
        Assert.Equal("prod*", rule.Claims["environment"]);
        var json = JsonSerializer.Serialize(pool, CoreJsonContext.Default.BuildKitPool);
        Assert.Contains("\"claims\":{\"ref\":\"refs/heads/main\",\"environment\":\"prod*\"}", json, StringComparison.Ordinal);
        Assert.Null(Assert.Single(Pool("""[{"users":["*"],"pools":["*"]}]""").Spec.Auth!.Rbac!.Rules!).Claims);
    }

    [Theory]
    [InlineData("""{"repository":"my-org/*","ref":"refs/heads/main"}""")]
    [InlineData("""{"project_path":"group/app","namespace_path":"group","ref_type":"branch"}""")]
    [InlineData("""{"https://example.com/claims/team":"*","kubernetes.io:ns":"x"}""")]
    [InlineData("""{}""")]
    public void Well_formed_claim_patterns_are_valid(string claims)
    {
        Assert.Empty(BuildKitPoolValidator.Validate(Pool($$"""[{"users":["*"],"pools":["*"],"claims":{{claims}}}]""")));
    }

    [Theory]
    [InlineData("""{"ref":""}""", "spec.auth.rbac.rules[0].claims[ref]", "must not be empty")]
    [InlineData("""{"":"x"}""", "spec.auth.rbac.rules[0].claims[]", "claim names")]
    [InlineData("""{"bad claim":"x"}""", "spec.auth.rbac.rules[0].claims[bad claim]", "claim names")]
    public void Malformed_claim_patterns_are_reported_at_their_path(string claims, string path, string message)
    {
        var errors = BuildKitPoolValidator.Validate(Pool($$"""[{"users":["*"],"pools":["*"],"claims":{{claims}}}]"""));

        var error = Assert.Single(errors);
        Assert.Equal(path, error.Path);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_claim_name_longer_than_128_characters_is_refused()
    {
        var name = new string('c', 129);
        var errors = BuildKitPoolValidator.Validate(Pool("[{\"users\":[\"*\"],\"pools\":[\"*\"],\"claims\":{\"" + name + "\":\"x\"}}]"));

        Assert.Single(errors);
    }
}
