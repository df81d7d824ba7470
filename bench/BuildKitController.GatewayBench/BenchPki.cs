using System.Net;
using BuildKitController.Core.Allocation;
using BuildKitController.Core.Pki;

namespace BuildKitController.GatewayBench;

/// <summary>The certificates of one pool, as the controller issues them, written to files for the processes.</summary>
internal sealed class BenchPki : IDisposable
{
    public BenchPki(string directory)
    {
        var now = DateTimeOffset.UtcNow;
        Directory = directory;
        Root = CertificateAuthority.Create("buildkit-ca", now.AddDays(-1), TimeSpan.FromDays(30));
        ClientCa = CertificateAuthority.CreateSubordinate(Root, "bench client CA", now.AddDays(-1), TimeSpan.FromDays(20));
        WorkerCa = CertificateAuthority.Create("bench worker CA", now.AddDays(-1), TimeSpan.FromDays(20));
        var server = Issue(ClientCa, "bench-gateway", CertificateProfile.Server, now);
        var gatewayClient = Issue(WorkerCa, "bench-gateway-client", CertificateProfile.Client, now);
        var worker = Issue(WorkerCa, "bench-worker", CertificateProfile.Server, now);
        Token = AllocationToken.Create();
        var allocation = CertificateIssuer.Issue(ClientCa, new CertificateRequestSpec
        {
            CommonName = $"alloc:{Token}",
            Profile = CertificateProfile.Client,
            Lifetime = TimeSpan.FromHours(4),
            Uris = [new Uri($"buildkit://allocation/{Token}")],
        }, now);

        var chain = server.CertificatePem.TrimEnd() + "\n" + ClientCa.CertificatePem.TrimEnd() + "\n";
        Write("tls/tls.crt", chain);
        Write("tls/tls.key", server.KeyPem!);
        Write("tls/ca.crt", ClientCa.CertificatePem);
        Write("worker-tls/client.crt", gatewayClient.CertificatePem);
        Write("worker-tls/client.key", gatewayClient.KeyPem!);
        Write("worker-tls/ca.crt", WorkerCa.CertificatePem);
        Write("backend/tls.crt", worker.CertificatePem);
        Write("backend/tls.key", worker.KeyPem!);
        Write("backend/ca.crt", WorkerCa.CertificatePem);
        Write("client/client.crt", allocation.CertificatePem);
        Write("client/client.key", allocation.KeyPem!);
        Write("client/root.crt", Root.CertificatePem);

        // nginx (OpenSSL) only trusts a self-signed anchor, so its client CA file carries the root too.
        Write("nginx/client-cas.crt", ClientCa.CertificatePem.TrimEnd() + "\n" + Root.CertificatePem.TrimEnd() + "\n");
    }

    public string Directory { get; }

    public string Token { get; }

    public CertificateAuthority Root { get; }

    public CertificateAuthority ClientCa { get; }

    public CertificateAuthority WorkerCa { get; }

    public string PathOf(string name) => Path.Combine(Directory, name);

    public void Dispose()
    {
        ClientCa.Dispose();
        WorkerCa.Dispose();
        Root.Dispose();
    }

    private static IssuedCertificate Issue(CertificateAuthority ca, string name, CertificateProfile profile, DateTimeOffset now) =>
        CertificateIssuer.Issue(ca, new CertificateRequestSpec
        {
            CommonName = name,
            Profile = profile,
            Lifetime = TimeSpan.FromDays(10),
            DnsNames = ["localhost"],
            IpAddresses = [IPAddress.Loopback],
        }, now);

    private void Write(string name, string content)
    {
        var path = PathOf(name);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }
}
