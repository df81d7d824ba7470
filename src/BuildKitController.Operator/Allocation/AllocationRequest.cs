namespace BuildKitController.Operator.Allocation;

/// <summary>What a caller asks for (already authenticated and authorized for the pool).</summary>
/// <param name="Namespace">Pool namespace.</param>
/// <param name="PoolName">Pool name.</param>
/// <param name="Requester">The caller's identity; only it (or an admin) may release or renew.</param>
/// <param name="Ttl">Requested Go duration, or null for the pool default.</param>
/// <param name="JobId">CI job id, recorded on the worker.</param>
/// <param name="Metadata">Free-form labels recorded on the worker.</param>
/// <param name="CertificateSigningRequest">PEM PKCS#10 request: when set, the private key never leaves the client.</param>
/// <param name="AllocationIdHash">SHA-256 of the asynchronous allocation id, recorded on the worker so any replica can answer polls.</param>
internal sealed record AllocationRequest(
    string Namespace,
    string PoolName,
    string Requester,
    string? Ttl = null,
    string? JobId = null,
    IReadOnlyDictionary<string, string>? Metadata = null,
    string? CertificateSigningRequest = null,
    string? AllocationIdHash = null);
