using System.Text.Json.Serialization;
using BuildKitController.Core.Serialization;
using BuildKitController.Kubernetes.Models;

namespace BuildKitController.Core.Api.V1Alpha1;

/// <summary>Authentication and access rules of a pool (<c>spec.auth</c>).</summary>
public sealed record AuthConfig : ExtensibleModel
{
    /// <summary>
    /// Authentication methods. Each entry is an object (<c>{type: oidc, oidc: {...}}</c>) or, as the upstream
    /// README writes it, just the type name (<c>- mtls</c>); the short form round-trips unchanged.
    /// </summary>
    [JsonPropertyName("methods")]
    [JsonConverter(typeof(AuthMethodListConverter))]
    public List<AuthMethod>? Methods { get; set; }

    [JsonPropertyName("rbac")]
    public RbacConfig? Rbac { get; set; }
}

/// <summary>One authentication method (<c>spec.auth.methods[]</c>).</summary>
public sealed record AuthMethod : ExtensibleModel
{
    /// <summary>One of <see cref="AuthMethodTypes"/>; required.</summary>
    [JsonPropertyName("type")]
    public string Type { get; set; } = "";

    [JsonPropertyName("mtls")]
    public MtlsConfig? Mtls { get; set; }

    [JsonPropertyName("token")]
    public TokenAuthConfig? Token { get; set; }

    [JsonPropertyName("oidc")]
    public OidcAuthConfig? Oidc { get; set; }

    /// <summary>True when the entry was read as a bare string; it is written back the same way.</summary>
    internal bool WrittenAsString { get; init; }

    /// <summary>Whether this entry can be written as a bare type name.</summary>
    internal bool IsShorthand =>
        WrittenAsString && Mtls is null && Token is null && Oidc is null && (ExtensionData is null || ExtensionData.Count == 0);
}

/// <summary>Values of <see cref="AuthMethod.Type"/>.</summary>
public static class AuthMethodTypes
{
    public const string Mtls = "mtls";
    public const string Token = "token";
    public const string Oidc = "oidc";

    public static IReadOnlyList<string> All { get; } = [Mtls, Token, Oidc];
}

/// <summary>mTLS settings of an auth method.</summary>
public sealed record MtlsConfig : ExtensibleModel
{
    /// <summary>Default true.</summary>
    [JsonPropertyName("required")]
    public bool? Required { get; set; }

    [JsonPropertyName("clientCASecret")]
    public string? ClientCaSecret { get; set; }
}

/// <summary>Static token settings of an auth method.</summary>
public sealed record TokenAuthConfig : ExtensibleModel
{
    /// <summary>Secret whose keys are tokens and values JSON <c>{user, pools}</c>; required.</summary>
    [JsonPropertyName("secretRef")]
    public string SecretRef { get; set; } = "";
}

/// <summary>OIDC settings of an auth method.</summary>
public sealed record OidcAuthConfig : ExtensibleModel
{
    [JsonPropertyName("issuer")]
    public string Issuer { get; set; } = "";

    [JsonPropertyName("audience")]
    public string Audience { get; set; } = "";

    /// <summary>Optional (upstream required it by accident); <c>user</c> defaults to <c>sub</c>.</summary>
    [JsonPropertyName("claimsMapping")]
    public ClaimsMapping? ClaimsMapping { get; set; }
}

/// <summary>Pool access rules (<c>spec.auth.rbac</c>).</summary>
public sealed record RbacConfig : ExtensibleModel
{
    /// <summary>Default true.</summary>
    [JsonPropertyName("enabled")]
    public bool? Enabled { get; set; }

    [JsonPropertyName("rules")]
    public List<RbacRule>? Rules { get; set; }
}

/// <summary>
/// An access rule: passes when one user pattern and one pool pattern match and every claim pattern matches.
/// Patterns are <c>*</c>, a prefix ending in <c>*</c>, or an exact name.
/// </summary>
public sealed record RbacRule : ExtensibleModel
{
    [JsonPropertyName("users")]
    public List<string> Users { get; set; } = [];

    [JsonPropertyName("pools")]
    public List<string> Pools { get; set; } = [];

    /// <summary>
    /// Optional (not upstream): token claim name → pattern; every entry must match a string claim of the caller
    /// (OIDC tokens, e.g. GitHub Actions <c>repository</c>, <c>ref</c>, <c>environment</c> or GitLab
    /// <c>project_path</c>, <c>ref_type</c>). A caller without the claim does not match.
    /// </summary>
    [JsonPropertyName("claims")]
    public Dictionary<string, string>? Claims { get; set; }
}
