using System.Text.Json.Nodes;

namespace BuildKitController.Testing.Oidc;

/// <summary>Claim sets shaped like those of common CI identity providers, for <see cref="TestTokenOptions.Claims"/>.</summary>
public static class TestTokenClaims
{
    /// <summary>A GitHub Actions ID token's claims (<c>sub</c> <c>repo:owner/name:ref:refs/heads/main</c> style).</summary>
    public static Dictionary<string, JsonNode?> GitHubActions(string repository, string gitRef = "refs/heads/main", string? environment = null)
    {
        ArgumentNullException.ThrowIfNull(repository);
        var claims = new Dictionary<string, JsonNode?>(StringComparer.Ordinal)
        {
            ["sub"] = environment is null ? $"repo:{repository}:ref:{gitRef}" : $"repo:{repository}:environment:{environment}",
            ["repository"] = repository,
            ["repository_owner"] = repository.Split('/')[0],
            ["ref"] = gitRef,
            ["ref_type"] = gitRef.StartsWith("refs/tags/", StringComparison.Ordinal) ? "tag" : "branch",
            ["workflow"] = "ci",
            ["event_name"] = "push",
            ["run_id"] = "1",
            ["actor"] = "octocat",
        };
        if (environment is not null)
        {
            claims["environment"] = environment;
        }

        return claims;
    }

    /// <summary>A GitLab CI ID token's claims (<c>sub</c> <c>project_path:group/project:ref_type:branch:ref:main</c>).</summary>
    public static Dictionary<string, JsonNode?> GitLab(string projectPath, string gitRef = "main", string refType = "branch")
    {
        ArgumentNullException.ThrowIfNull(projectPath);
        return new Dictionary<string, JsonNode?>(StringComparer.Ordinal)
        {
            ["sub"] = $"project_path:{projectPath}:ref_type:{refType}:ref:{gitRef}",
            ["project_path"] = projectPath,
            ["namespace_path"] = projectPath.Contains('/', StringComparison.Ordinal) ? projectPath[..projectPath.LastIndexOf('/')] : projectPath,
            ["ref"] = gitRef,
            ["ref_type"] = refType,
            ["pipeline_source"] = "push",
            ["user_login"] = "gitlab-user",
        };
    }
}
