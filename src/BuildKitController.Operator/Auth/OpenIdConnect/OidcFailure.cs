namespace BuildKitController.Operator.Auth.OpenIdConnect;

/// <summary>
/// Why an OIDC token was refused: <see cref="Result"/> is the metric label (one of
/// <see cref="AuthMetrics.OidcResults"/>), <see cref="Message"/> a short sentence safe to return to the caller.
/// </summary>
internal sealed record OidcFailure(string Result, string Message)
{
    public static OidcFailure Malformed { get; } = new("malformed", "the token is not a well-formed signed JWT");

    public static OidcFailure UnsupportedAlgorithm { get; } = new("unsupported_algorithm", "the token's signature algorithm is not accepted");

    public static OidcFailure InvalidType { get; } = new("invalid_type", "the token's typ header is not JWT");

    public static OidcFailure UnknownKey { get; } = new("unknown_key", "the token is not signed by a key its issuer publishes");

    public static OidcFailure InvalidSignature { get; } = new("invalid_signature", "the token's signature is invalid");

    public static OidcFailure InvalidIssuer { get; } = new("invalid_issuer", "the token's issuer is not trusted");

    public static OidcFailure MissingExpiry { get; } = new("invalid_claims", "the token has no valid exp claim");

    public static OidcFailure InvalidTimeClaim { get; } = new("invalid_claims", "the token's nbf or iat claim is not a number");

    public static OidcFailure Expired { get; } = new("expired", "the token has expired");

    public static OidcFailure NotYetValid { get; } = new("not_yet_valid", "the token is not valid yet");

    public static OidcFailure InvalidAudience { get; } = new("invalid_audience", "the token's audience is not accepted");

    public static OidcFailure IssuerUnavailable { get; } = new("issuer_unavailable", "the token's issuer cannot be reached; try again later");

    /// <summary>The issuer (not the caller) failed: the answer is 503, not 401.</summary>
    public bool IsTransient => Result == "issuer_unavailable";

    public static OidcFailure InvalidIdentity(string message) => new("invalid_identity", message);
}
