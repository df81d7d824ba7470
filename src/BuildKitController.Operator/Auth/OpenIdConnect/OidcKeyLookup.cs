using BuildKitController.Operator.Oidc;

namespace BuildKitController.Operator.Auth.OpenIdConnect;

/// <summary>The issuer's usable keys with a given <c>kid</c>, or why there are none.</summary>
internal readonly record struct OidcKeyLookup(IReadOnlyList<JsonWebKey>? Keys, OidcFailure? Failure)
{
    public static OidcKeyLookup Found(IReadOnlyList<JsonWebKey> keys) => new(keys, null);

    public static OidcKeyLookup Failed(OidcFailure failure) => new(null, failure);
}
