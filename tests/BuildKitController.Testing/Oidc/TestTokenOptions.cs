using System.Text.Json.Nodes;

namespace BuildKitController.Testing.Oidc;

/// <summary>What <see cref="TestOidcIssuer.CreateToken"/> puts in a token. Every default gives a valid token for <see cref="Audience"/>.</summary>
public sealed record TestTokenOptions
{
    /// <summary><c>sub</c>; null omits it.</summary>
    public string? Subject { get; init; } = "test-subject";

    /// <summary><c>aud</c> as a single string; ignored when <see cref="Audiences"/> is set; null (and no <see cref="Audiences"/>) omits it.</summary>
    public string? Audience { get; init; } = "buildkit";

    /// <summary><c>aud</c> as a JSON array (even with one element).</summary>
    public IReadOnlyList<string>? Audiences { get; init; }

    /// <summary><c>iss</c>; null uses the issuer's own <see cref="TestOidcIssuer.Issuer"/>, empty omits it.</summary>
    public string? Issuer { get; init; }

    /// <summary><c>iat</c>; default: now on <see cref="TimeProvider"/>.</summary>
    public DateTimeOffset? IssuedAt { get; init; }

    /// <summary><c>nbf</c>; default: <see cref="IssuedAt"/>.</summary>
    public DateTimeOffset? NotBefore { get; init; }

    /// <summary><c>exp</c>; default: <see cref="IssuedAt"/> plus the issuer's default lifetime.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>Leave <c>exp</c> out.</summary>
    public bool OmitExpiry { get; init; }

    /// <summary>Leave <c>nbf</c> out.</summary>
    public bool OmitNotBefore { get; init; }

    /// <summary>Clock for default times; null uses the issuer's.</summary>
    public TimeProvider? TimeProvider { get; init; }

    /// <summary>
    /// Further claims (GitHub Actions <c>repository</c>, <c>ref</c>, <c>environment</c>; GitLab <c>project_path</c>, …).
    /// A claim named like a registered one (<c>sub</c>, <c>aud</c>, …) replaces it.
    /// </summary>
    public IReadOnlyDictionary<string, JsonNode?>? Claims { get; init; }

    /// <summary>
    /// The <c>alg</c> header: <c>none</c> makes an unsigned token (empty signature). Null uses the key's algorithm.
    /// The signature is always made with the key's own algorithm, so a different value here tests algorithm confusion.
    /// </summary>
    public string? Algorithm { get; init; }

    /// <summary>The signing key; null uses the issuer's current key for <see cref="Algorithm"/> (RS256 by default).
    /// Pass a key from <see cref="TestSigningKey.Create"/> for an "unknown key" token.</summary>
    public TestSigningKey? Key { get; init; }

    /// <summary>The <c>kid</c> header; null uses the key's id, empty omits it.</summary>
    public string? KeyId { get; init; }

    /// <summary>The <c>typ</c> header; null omits it.</summary>
    public string? Type { get; init; } = "JWT";

    public TestTokenTampering Tampering { get; init; }
}
