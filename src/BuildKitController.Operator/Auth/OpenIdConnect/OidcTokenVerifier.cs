using BuildKitController.Operator.Auth.Jwt;

namespace BuildKitController.Operator.Auth.OpenIdConnect;

/// <summary>
/// Verifies tokens for one (issuer, audience): <c>alg</c> in the allow-list (never <c>none</c>), no <c>crit</c>
/// header, <c>typ</c> absent or JWT-like, <c>kid</c> naming a published key of a fitting type, a valid signature,
/// then <c>iss</c> equal to the issuer exactly, <c>exp</c> present and not passed, <c>nbf</c> and <c>iat</c> not in
/// the future, each with <see cref="AuthOptions.ClockSkew"/>, and <c>aud</c> (string or array) containing the
/// audience. Header members that point at keys (<c>jku</c>, <c>jwk</c>, <c>x5u</c>, <c>x5c</c>) are ignored: keys
/// only ever come from the issuer's discovered JWKS.
/// </summary>
internal sealed class OidcTokenVerifier(OidcIssuerKeys keys, string audience, AuthOptions options, TimeProvider time)
{
    private static readonly string[] JwtTypes = ["JWT", "application/jwt", "at+jwt", "application/at+jwt"];

    public string Issuer => keys.Issuer;

    public string Audience => audience;

    /// <summary>Null when <paramref name="token"/> is valid for this issuer and audience; otherwise why not.</summary>
    public async Task<OidcFailure?> VerifyAsync(JwtToken token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (!options.AllowedAlgorithms.Contains(token.Algorithm, StringComparer.Ordinal)
            || !AuthOptions.SupportedAlgorithms.Contains(token.Algorithm, StringComparer.Ordinal))
        {
            return OidcFailure.UnsupportedAlgorithm;
        }

        if (token.HasCriticalHeader)
        {
            return OidcFailure.Malformed;
        }

        if (token.Type is { } type && !JwtTypes.Contains(type, StringComparer.OrdinalIgnoreCase))
        {
            return OidcFailure.InvalidType;
        }

        if (string.IsNullOrEmpty(token.KeyId))
        {
            return OidcFailure.UnknownKey;
        }

        var lookup = await keys.FindAsync(token.KeyId, cancellationToken);
        if (lookup.Failure is { } failure)
        {
            return failure;
        }

        if (!lookup.Keys!.Any(k => JwsSignature.Verify(token.Algorithm, k, token.SigningInput, token.Signature)))
        {
            return OidcFailure.InvalidSignature;
        }

        return CheckClaims(token);
    }

    private OidcFailure? CheckClaims(JwtToken token)
    {
        if (!string.Equals(token.Issuer, keys.Issuer, StringComparison.Ordinal))
        {
            return OidcFailure.InvalidIssuer;
        }

        var now = time.GetUtcNow();
        var skew = options.ClockSkew;
        if (!token.TryGetNumericDate("exp", out var expires))
        {
            return OidcFailure.MissingExpiry;
        }

        if (now >= expires + skew)
        {
            return OidcFailure.Expired;
        }

        foreach (var claim in (ReadOnlySpan<string>)["nbf", "iat"])
        {
            if (!token.Has(claim))
            {
                continue;
            }

            if (!token.TryGetNumericDate(claim, out var notBefore))
            {
                return OidcFailure.InvalidTimeClaim;
            }

            if (notBefore > now + skew)
            {
                return OidcFailure.NotYetValid;
            }
        }

        return token.GetAudiences() is { } audiences && audiences.Contains(audience, StringComparer.Ordinal)
            ? null
            : OidcFailure.InvalidAudience;
    }
}
