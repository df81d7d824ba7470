using System.Net;

namespace BuildKitController.Core.Pki;

/// <summary>What to put in a leaf certificate.</summary>
public sealed record CertificateRequestSpec
{
    public required string CommonName { get; init; }

    public required CertificateProfile Profile { get; init; }

    public required TimeSpan Lifetime { get; init; }

    public string? Organization { get; init; }

    public IReadOnlyList<string> DnsNames { get; init; } = [];

    public IReadOnlyList<IPAddress> IpAddresses { get; init; } = [];

    public IReadOnlyList<Uri> Uris { get; init; } = [];
}
