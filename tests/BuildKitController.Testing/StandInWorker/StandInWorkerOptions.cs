using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace BuildKitController.Testing.StandInWorker;

/// <summary>How a <see cref="StandInWorker"/> listens and whom it trusts.</summary>
public sealed record StandInWorkerOptions
{
    /// <summary>What <c>IDENTITY</c> answers (the worker name, by convention).</summary>
    public required string Name { get; init; }

    /// <summary>Where to listen; port 0 picks a free one.</summary>
    public required IPEndPoint EndPoint { get; init; }

    /// <summary>The worker's server certificate, with its private key.</summary>
    public required X509Certificate2 ServerCertificate { get; init; }

    /// <summary>The only anchors client certificates are verified against (the pool's worker CA).</summary>
    public required X509Certificate2Collection TrustedClientAuthorities { get; init; }

    /// <summary>ALPN protocols offered, in preference order (buildkitd speaks gRPC, so <c>h2</c> first).</summary>
    public IReadOnlyList<string> ApplicationProtocols { get; init; } = ["h2", "http/1.1"];
}
