using System.Text.Json;
using BuildKitController.Operator.Auth.Jwt;

namespace BuildKitController.Operator.Auth.OpenIdConnect;

/// <summary>
/// Turns a verified token into a <see cref="CallerIdentity"/>:
/// <list type="bullet">
/// <item>the name is the string claim <c>claimsMapping.user</c> (default <c>sub</c>). A token without it is
/// refused (upstream fell back to <c>sub</c>, which silently changes whom rules see). Names starting with
/// <c>system:</c> are refused too: that prefix belongs to Kubernetes users (ServiceAccounts, <c>system:masters</c>),
/// and an issuer must not be able to mint one;</item>
/// <item>with <c>claimsMapping.pools</c>, the claim (an array of strings, or a string of names separated by commas
/// or spaces) lists the pool patterns the caller may use; a missing claim allows none;</item>
/// <item>every top-level string, boolean or number claim (at most <see cref="MaxClaims"/>, values up to
/// <see cref="MaxClaimLength"/> characters) is kept for rule matching, e.g. GitHub <c>repository</c>, <c>ref</c>,
/// <c>environment</c>, <c>workflow</c>, <c>actor</c>; GitLab <c>project_path</c>, <c>namespace_path</c>,
/// <c>ref_type</c>.</item>
/// </list>
/// </summary>
internal static class OidcIdentityMapper
{
    public const int MaxClaims = 64;
    public const int MaxClaimLength = 1024;
    public const int MaxNameLength = 512;
    public const string DefaultUserClaim = "sub";

    private static readonly char[] PoolSeparators = [',', ' ', '\t', '\n'];

    public static (CallerIdentity? Identity, OidcFailure? Failure) Map(JwtToken token, OidcTrustSource source)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(source);
        var userClaim = string.IsNullOrEmpty(source.Mapping?.User) ? DefaultUserClaim : source.Mapping.User;
        var name = token.GetString(userClaim);
        if (string.IsNullOrEmpty(name))
        {
            return (null, OidcFailure.InvalidIdentity($"the token has no string claim \"{Safe(userClaim)}\" to name the caller"));
        }

        if (name.Length > MaxNameLength)
        {
            return (null, OidcFailure.InvalidIdentity($"the token's \"{Safe(userClaim)}\" claim is longer than {MaxNameLength} characters"));
        }

        if (name.StartsWith("system:", StringComparison.Ordinal))
        {
            return (null, OidcFailure.InvalidIdentity($"the token's \"{Safe(userClaim)}\" claim uses the reserved prefix system:"));
        }

        var pools = string.IsNullOrEmpty(source.Mapping?.Pools) ? null : Pools(token, source.Mapping.Pools);
        var identity = new CallerIdentity(name, CallerMethods.Oidc, [], source.Issuer, pools, Claims(token), IsAdmin: false)
        {
            PoolScope = source.PoolScope,
            Source = source.Origin,
        };
        return (identity, null);
    }

    private static List<string> Pools(JwtToken token, string claim)
    {
        if (!token.Payload.TryGetProperty(claim, out var value))
        {
            return [];
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => [.. value.GetString()!.Split(PoolSeparators, StringSplitOptions.RemoveEmptyEntries)],
            JsonValueKind.Array => [.. value.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).Where(p => p.Length > 0)],
            _ => [],
        };
    }

    private static Dictionary<string, string> Claims(JwtToken token)
    {
        var claims = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in token.Payload.EnumerateObject())
        {
            if (claims.Count >= MaxClaims)
            {
                break;
            }

            var text = property.Value.ValueKind switch
            {
                JsonValueKind.String => property.Value.GetString(),
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                JsonValueKind.Number => property.Value.GetRawText(),
                _ => null,
            };
            if (text is not null && text.Length <= MaxClaimLength && property.Name.Length <= 128)
            {
                claims[property.Name] = text;
            }
        }

        return claims;
    }

    private static string Safe(string claim) => claim.Length <= 64 ? claim : claim[..64] + "…";
}
