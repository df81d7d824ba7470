using System.Diagnostics.Metrics;

namespace BuildKitController.Operator.Auth;

/// <summary>
/// Metrics of API authentication (meter <see cref="MeterName"/>):
/// <list type="bullet">
/// <item><c>buildkit_controller_oidc_verifications_total{issuer,result}</c>: OIDC tokens verified, by trusted
/// issuer and result (<see cref="OidcResults"/>). Only tokens whose <c>iss</c> names a trusted issuer are
/// verified, so <c>issuer</c> takes only values an admin configured;</item>
/// <item><c>buildkit_controller_token_reviews_total{result}</c>: TokenReviews by result (<c>authenticated</c>,
/// <c>rejected</c>, <c>error</c>, <c>cached</c>);</item>
/// <item><c>buildkit_controller_subject_access_reviews_total{result}</c>: SubjectAccessReviews by result
/// (<c>allowed</c>, <c>denied</c>, <c>error</c>, <c>cached</c>).</item>
/// </list>
/// </summary>
internal sealed class AuthMetrics : IDisposable
{
    public const string MeterName = "BuildKitController.Operator.Auth";

    public const string OidcVerificationsTotal = "buildkit_controller_oidc_verifications_total";
    public const string TokenReviewsTotal = "buildkit_controller_token_reviews_total";
    public const string SubjectAccessReviewsTotal = "buildkit_controller_subject_access_reviews_total";

    /// <summary>Every value of the <c>result</c> label of <see cref="OidcVerificationsTotal"/>; anything else is reported as <c>other</c>.</summary>
    public static IReadOnlyList<string> OidcResults { get; } =
    [
        "success", "malformed", "unsupported_algorithm", "invalid_type", "unknown_key", "invalid_signature", "invalid_issuer",
        "invalid_claims", "expired", "not_yet_valid", "invalid_audience", "invalid_identity", "issuer_unavailable",
    ];

    private readonly Meter _meter;
    private readonly Counter<long> _oidc;
    private readonly Counter<long> _tokenReviews;
    private readonly Counter<long> _accessReviews;

    public AuthMetrics()
        : this(MeterName)
    {
    }

    /// <summary>For tests: a private meter name keeps parallel tests from seeing each other's series.</summary>
    internal AuthMetrics(string meterName)
    {
        _meter = new Meter(meterName);
        _oidc = _meter.CreateCounter<long>(OidcVerificationsTotal, description: "OIDC token verifications, by trusted issuer and result.");
        _tokenReviews = _meter.CreateCounter<long>(TokenReviewsTotal, description: "Kubernetes TokenReviews of API callers, by result.");
        _accessReviews = _meter.CreateCounter<long>(SubjectAccessReviewsTotal, description: "Kubernetes SubjectAccessReviews of API callers, by result.");
    }

    public void RecordOidcVerification(string issuer, string result) =>
        _oidc.Add(1, new KeyValuePair<string, object?>("issuer", issuer), new KeyValuePair<string, object?>("result", OidcResults.Contains(result) ? result : "other"));

    public void RecordTokenReview(string result) => _tokenReviews.Add(1, new KeyValuePair<string, object?>("result", result));

    public void RecordSubjectAccessReview(string result) => _accessReviews.Add(1, new KeyValuePair<string, object?>("result", result));

    public void Dispose() => _meter.Dispose();
}
