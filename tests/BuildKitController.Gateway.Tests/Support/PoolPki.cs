using System.Net;
using System.Security.Cryptography.X509Certificates;
using BuildKitController.Core.Allocation;
using BuildKitController.Core.Pki;

namespace BuildKitController.Gateway.Tests.Support;

/// <summary>
/// A pool's certificates as the controller makes them: a root CA, the pool client CA under it (issues the gateway
/// server certificate and allocation certificates), and a self-signed worker CA (issues the worker server
/// certificate and the gateway's client certificate). Two pools share the root and nothing else.
/// </summary>
internal sealed class PoolPki : IDisposable
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    public PoolPki(string pool, CertificateAuthority? root = null)
    {
        Root = root ?? CertificateAuthority.Create("buildkit-ca", Now.AddDays(-1), TimeSpan.FromDays(30));
        ClientCa = CertificateAuthority.CreateSubordinate(Root, $"{pool} client CA", Now.AddDays(-1), TimeSpan.FromDays(20));
        WorkerCa = CertificateAuthority.Create($"{pool} worker CA", Now.AddDays(-1), TimeSpan.FromDays(20));
        Server = Issue(ClientCa, $"{pool}-gateway", CertificateProfile.Server, dns: ["localhost"], ip: [IPAddress.Loopback]);
        GatewayClient = Issue(WorkerCa, $"{pool}-gateway-client", CertificateProfile.Client);
        WorkerServer = Issue(WorkerCa, $"{pool}-worker", CertificateProfile.Server);
    }

    public CertificateAuthority Root { get; }

    public CertificateAuthority ClientCa { get; }

    public CertificateAuthority WorkerCa { get; }

    public IssuedCertificate Server { get; }

    public IssuedCertificate GatewayClient { get; }

    public IssuedCertificate WorkerServer { get; }

    /// <summary>A fresh gateway server certificate from the same client CA (a rotation).</summary>
    public IssuedCertificate IssueServer() => Issue(ClientCa, "rotated-gateway", CertificateProfile.Server, dns: ["localhost"], ip: [IPAddress.Loopback]);

    /// <summary>tls.crt of <c>&lt;pool&gt;-tls</c>: the server certificate followed by the client CA.</summary>
    public string ServerChainPem => Server.CertificatePem.TrimEnd() + "\n" + ClientCa.CertificatePem.TrimEnd() + "\n";

    public X509Certificate2 WorkerServerCertificate() => X509Certificate2.CreateFromPem(WorkerServer.CertificatePem, WorkerServer.KeyPem);

    public X509Certificate2Collection WorkerTrust() => [X509Certificate2.CreateFromPem(WorkerCa.CertificatePem)];

    /// <summary>An allocation certificate as the API issues it (CN and URI SAN), optionally with only one of them.</summary>
    public X509Certificate2 Allocation(string token, TimeSpan? lifetime = null, DateTimeOffset? issuedAt = null, bool commonName = true, bool uri = true) =>
        Allocation(ClientCa, token, lifetime, issuedAt, commonName, uri);

    public static X509Certificate2 Allocation(CertificateAuthority issuer, string token, TimeSpan? lifetime = null, DateTimeOffset? issuedAt = null, bool commonName = true, bool uri = true)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        var issued = CertificateIssuer.Issue(issuer, new CertificateRequestSpec
        {
            CommonName = commonName ? $"{AllocationToken.CommonNamePrefix}{token}" : "someone",
            Organization = "BuildKit Client",
            Profile = CertificateProfile.Client,
            Lifetime = lifetime ?? TimeSpan.FromHours(1),
            Uris = uri ? [new Uri($"{AllocationToken.UriPrefix}{token}")] : [],
        }, issuedAt ?? Now);
        return X509Certificate2.CreateFromPem(issued.CertificatePem, issued.KeyPem);
    }

    public void Dispose()
    {
        ClientCa.Dispose();
        WorkerCa.Dispose();
        Root.Dispose();
    }

    private static IssuedCertificate Issue(CertificateAuthority ca, string name, CertificateProfile profile, string[]? dns = null, IPAddress[]? ip = null) =>
        CertificateIssuer.Issue(ca, new CertificateRequestSpec
        {
            CommonName = name,
            Profile = profile,
            Lifetime = TimeSpan.FromDays(10),
            DnsNames = dns ?? [],
            IpAddresses = ip ?? [],
        }, Now);
}
