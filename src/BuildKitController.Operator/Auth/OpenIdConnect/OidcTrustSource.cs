using BuildKitController.Core.Api.V1Alpha1;

namespace BuildKitController.Operator.Auth.OpenIdConnect;

/// <summary>
/// One trusted (issuer, audience) and how its tokens become identities.
/// </summary>
/// <param name="Issuer">Must equal the token's <c>iss</c> exactly.</param>
/// <param name="Audience">Must be one of the token's <c>aud</c>.</param>
/// <param name="Mapping">The claims mapping (user default <c>sub</c>; pools claim optional).</param>
/// <param name="Origin"><c>BuildKitOIDCConfig ns/name</c> or <c>pool ns/name</c> (for logs).</param>
/// <param name="PoolScope"><c>ns/name</c> of the pool whose <c>spec.auth.methods</c> brought this issuer; null for BuildKitOIDCConfigs.</param>
internal sealed record OidcTrustSource(string Issuer, string Audience, ClaimsMapping? Mapping, string Origin, string? PoolScope);
