namespace BuildKitController.Operator.Oidc;

/// <summary>Reasons of the <c>Ready</c> condition of a BuildKitOIDCConfig.</summary>
internal static class OidcConfigReasons
{
    /// <summary>The condition type.</summary>
    public const string ReadyCondition = "Ready";

    /// <summary>Discovery matched the issuer and the JWKS has at least one usable signing key (Ready=True).</summary>
    public const string Verified = "Verified";

    /// <summary>The spec fails validation; nothing is fetched until it changes.</summary>
    public const string InvalidSpec = "InvalidSpec";

    /// <summary><c>spec.enabled</c> is false; nothing is fetched.</summary>
    public const string Disabled = "Disabled";

    /// <summary>The discovery document could not be fetched or decoded, or its <c>jwks_uri</c> is unusable.</summary>
    public const string DiscoveryFailed = "DiscoveryFailed";

    /// <summary>The discovery document names another issuer than <c>spec.issuer</c>.</summary>
    public const string IssuerMismatch = "IssuerMismatch";

    /// <summary>The JWKS could not be fetched or decoded.</summary>
    public const string JwksFailed = "JwksFailed";

    /// <summary>The JWKS holds no key that can verify signatures.</summary>
    public const string NoSigningKeys = "NoSigningKeys";
}
