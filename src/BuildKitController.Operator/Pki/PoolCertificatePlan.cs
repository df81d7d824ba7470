using BuildKitController.Core.Pki;
using BuildKitController.Kubernetes.Models.CoreV1;

namespace BuildKitController.Operator.Pki;

/// <summary>
/// The certificate Secrets a pool needs now. <see cref="Changed"/> holds only those whose content differs from the
/// cluster (new, rotated, re-issued for new names); <see cref="Problem"/> is set when the pool CA is unusable.
/// </summary>
internal sealed record PoolCertificatePlan(
    IReadOnlyList<Secret> Changed,
    IReadOnlyList<IssuedPoolCertificate> Issued,
    CertificateFacts? ServerCertificate,
    DateTimeOffset? NextRenewal,
    string Fingerprint,
    string? Problem)
{
    public static PoolCertificatePlan Failed(string problem) => new([], [], null, null, "", problem);
}
