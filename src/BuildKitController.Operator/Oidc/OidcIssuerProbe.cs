namespace BuildKitController.Operator.Oidc;

/// <summary>
/// Checks that an issuer can be trusted for token verification: fetches
/// <c>&lt;issuer&gt;/.well-known/openid-configuration</c>, requires its <c>issuer</c> to equal the configured one
/// exactly (no trailing-slash or case folding, as OpenID Connect Discovery §4.3 demands), then fetches
/// <c>jwks_uri</c> and requires at least one usable signing key (<see cref="SigningKeyFilter"/>).
/// </summary>
/// <remarks>
/// <c>jwks_uri</c> must be https. Plain http is accepted only when the issuer itself is an http URL on a loopback
/// host and the JWKS is on a loopback host too (the validator allows http issuers only on loopback, for tests and
/// local development); an https issuer never hands its keys over http.
/// </remarks>
internal sealed class OidcIssuerProbe(OidcDocumentFetcher fetcher)
{
    public const string DiscoveryPath = "/.well-known/openid-configuration";

    private const int MaxQuotedLength = 256;

    public async Task<OidcProbeResult> ProbeAsync(string issuer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        if (!Uri.TryCreate(issuer, UriKind.Absolute, out var issuerUri))
        {
            return new(OidcConfigReasons.DiscoveryFailed, $"discovery failed: issuer \"{Quote(issuer)}\" is not an absolute URL");
        }

        var discoveryUrl = new Uri(issuer.TrimEnd('/') + DiscoveryPath);
        var discovery = await fetcher.GetAsync(discoveryUrl, OidcJsonContext.Default.OidcDiscoveryDocument, cancellationToken);
        if (discovery.Value is not { } document)
        {
            return new(OidcConfigReasons.DiscoveryFailed, $"discovery failed: {discovery.Error}");
        }

        if (!string.Equals(document.Issuer, issuer, StringComparison.Ordinal))
        {
            return new(OidcConfigReasons.IssuerMismatch,
                $"issuer mismatch: {OidcDocumentFetcher.Display(discoveryUrl)} names issuer \"{Quote(document.Issuer)}\", expected exactly \"{Quote(issuer)}\"");
        }

        if (JwksUriProblem(issuerUri, document.JwksUri, out var jwksUrl) is { } problem)
        {
            return new(OidcConfigReasons.DiscoveryFailed, $"discovery failed: {problem}");
        }

        var jwks = await fetcher.GetAsync(jwksUrl!, OidcJsonContext.Default.JsonWebKeySet, cancellationToken);
        if (jwks.Value is not { } keySet)
        {
            return new(OidcConfigReasons.JwksFailed, $"JWKS fetch failed: {jwks.Error}");
        }

        var usable = SigningKeyFilter.Usable(keySet);
        if (usable.Count == 0)
        {
            var all = keySet.Keys ?? [];
            var why = all.Count == 0
                ? "it has no keys"
                : string.Join("; ", all.Take(5).Select(k => $"{Quote(k?.KeyId ?? "(no kid)")}: {(k is not null && !SigningKeyFilter.IsUsable(k, out var p) ? p : "unusable")}"));
            return new(OidcConfigReasons.NoSigningKeys, $"no usable signing key in the JWKS at {OidcDocumentFetcher.Display(jwksUrl!)}: {why}");
        }

        var algorithms = string.Join(", ", usable.Select(k => k.Algorithm ?? k.KeyType).Distinct(StringComparer.Ordinal));
        return new(OidcConfigReasons.Verified,
            $"issuer verified: {usable.Count} signing key{(usable.Count == 1 ? "" : "s")} ({algorithms})", document, usable);
    }

    /// <summary>Why <paramref name="jwksUri"/> cannot be used for <paramref name="issuer"/>, or null.</summary>
    internal static string? JwksUriProblem(Uri issuer, string? jwksUri, out Uri? url)
    {
        url = null;
        if (string.IsNullOrEmpty(jwksUri))
        {
            return "the discovery document has no jwks_uri";
        }

        if (!Uri.TryCreate(jwksUri, UriKind.Absolute, out var parsed) || !string.IsNullOrEmpty(parsed.UserInfo))
        {
            return $"jwks_uri \"{Quote(jwksUri)}\" is not an absolute URL without user info";
        }

        var allowed = parsed.Scheme == Uri.UriSchemeHttps
            || (parsed.Scheme == Uri.UriSchemeHttp && issuer.Scheme == Uri.UriSchemeHttp && issuer.IsLoopback && parsed.IsLoopback);
        if (!allowed)
        {
            return $"jwks_uri {OidcDocumentFetcher.Display(parsed)} must use https (http only for a loopback http issuer)";
        }

        url = parsed;
        return null;
    }

    private static string Quote(string? value) => value is null ? "" : value.Length <= MaxQuotedLength ? value : value[..MaxQuotedLength] + "…";
}
