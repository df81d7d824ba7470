namespace BuildKitController.Operator.Oidc;

/// <summary>What checking an issuer found: a <see cref="OidcConfigReasons"/> reason, a message, and on success the documents.</summary>
internal sealed record OidcProbeResult(string Reason, string Message, OidcDiscoveryDocument? Discovery = null, IReadOnlyList<JsonWebKey>? SigningKeys = null)
{
    public bool Ready => Reason == OidcConfigReasons.Verified;
}
