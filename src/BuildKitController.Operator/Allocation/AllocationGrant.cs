using BuildKitController.Core.Pki;

namespace BuildKitController.Operator.Allocation;

/// <summary>A granted allocation: the worker, the clear token (returned once, stored only hashed) and the client certificate.</summary>
internal sealed record AllocationGrant(
    string Namespace,
    string PoolName,
    string WorkerName,
    string Token,
    string WorkerEndpoint,
    string GatewayEndpoint,
    DateTimeOffset ExpiresAt,
    string CaCertificatePem,
    IssuedCertificate Certificate)
{
    public override string ToString() => $"AllocationGrant({Namespace}/{WorkerName}, expires {ExpiresAt:O})";
}
