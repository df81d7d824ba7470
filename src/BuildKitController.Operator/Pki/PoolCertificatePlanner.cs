using System.Net;
using System.Security.Cryptography;
using System.Text;
using BuildKitController.Core.Api.V1Alpha1;
using BuildKitController.Core.Api.V1Alpha1.Defaulting;
using BuildKitController.Core.Pki;
using BuildKitController.Core.Time;
using BuildKitController.Kubernetes.Models.CoreV1;
using BuildKitController.Operator.Naming;
using BuildKitController.Operator.Pools;

namespace BuildKitController.Operator.Pki;

/// <summary>
/// Per-pool trust (SPEC §3). Each pool has two CAs in Secret <c>&lt;pool&gt;-ca</c>:
/// <list type="bullet">
/// <item>a <b>client CA</b>, subordinate of the root <c>buildkit-ca</c>, which issues the pool's allocation
/// certificates and its gateway server certificate. The gateway trusts only this CA for client certificates, so a
/// certificate of pool A is refused by pool B's gateway, while clients holding the root certificate verify every
/// gateway (the server certificate is served with its chain);</item>
/// <item>a self-signed <b>worker CA</b>, which issues the workers' server certificate and the gateway's client
/// certificate towards workers. Workers trust only it, so no allocation or identity certificate can reach a worker
/// directly.</item>
/// </list>
/// Leaf certificates are re-issued when missing, unreadable, issued by another CA, short of a required name, or due
/// (two thirds of their lifetime, or <c>rotateBeforeExpiry</c> before expiry when that is earlier and leaves at least half the lifetime). A pool CA that
/// exists but cannot be read is reported, never replaced.
/// </summary>
internal static class PoolCertificatePlanner
{
    public static PoolCertificatePlan Plan(
        BuildKitPool pool,
        CertificateAuthority root,
        PoolSecrets existing,
        IReadOnlyCollection<string> extraNames,
        PoolControllerOptions options,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(existing);
        var name = pool.Metadata.Name!;
        var ns = pool.Metadata.Namespace!;
        var changed = new List<Secret>();
        var issued = new List<IssuedPoolCertificate>();

        // 1. The pool CAs.
        var authorities = LoadAuthorities(existing.Authorities, root, out var problem);
        if (problem is not null)
        {
            return PoolCertificatePlan.Failed(problem);
        }

        using var clientCa = authorities.Client ?? CertificateAuthority.CreateSubordinate(root, $"BuildKit pool {ns}/{name} client CA", now, options.PoolCaLifetime, "BuildKit Controller");
        using var workerCa = authorities.Worker ?? CertificateAuthority.CreateLeafIssuer($"BuildKit pool {ns}/{name} worker CA", now, options.PoolCaLifetime, "BuildKit Controller");
        if (authorities.Client is null || authorities.Worker is null)
        {
            changed.Add(Secret(pool, PoolObjectNames.Authorities(name), "pool-ca", new()
            {
                [SecretKeys.ClientCaCertificate] = clientCa.CertificatePem,
                [SecretKeys.ClientCaKey] = clientCa.ExportKeyPem(),
                [SecretKeys.WorkerCaCertificate] = workerCa.CertificatePem,
                [SecretKeys.WorkerCaKey] = workerCa.ExportKeyPem(),
            }));
            if (authorities.Client is null)
            {
                issued.Add(new("pool-client-ca", clientCa.Certificate.SerialNumber, clientCa.Certificate.NotAfter.ToUniversalTime()));
            }

            if (authorities.Worker is null)
            {
                issued.Add(new("pool-worker-ca", workerCa.Certificate.SerialNumber, workerCa.Certificate.NotAfter.ToUniversalTime()));
            }
        }

        var lifetime = GoDuration.TryParse(pool.Spec.Tls?.Auto?.ServerCertDuration, out var d) && d > TimeSpan.Zero ? d : GoDuration.Parse(PoolDefaults.ServerCertDuration);
        var rotateBefore = GoDuration.TryParse(pool.Spec.Tls?.Auto?.RotateBeforeExpiry, out var r) && r > TimeSpan.Zero ? r : TimeSpan.Zero;
        var organization = pool.Spec.Tls?.Auto?.Organization;

        // 2. Gateway server certificate: service names, localhost, external and load-balancer names.
        var service = PoolObjectNames.Service(name);
        var dnsNames = new List<string> { service, $"{service}.{ns}", $"{service}.{ns}.svc", $"{service}.{ns}.svc.{options.ClusterDomain}", "localhost" };
        var ips = new List<IPAddress> { IPAddress.Loopback };
        foreach (var extra in extraNames)
        {
            if (IPAddress.TryParse(extra, out var ip))
            {
                ips.Add(ip);
            }
            else
            {
                dnsNames.Add(extra);
            }
        }

        dnsNames = [.. dnsNames.Distinct(StringComparer.OrdinalIgnoreCase)];
        ips = [.. ips.Distinct()];
        var server = Leaf(existing.GatewayServer, SecretKeys.TlsCertificate, SecretKeys.TlsKey, clientCa, now, rotateBefore, dnsNames, ips);
        if (server.Facts is null || NeedsCa(existing.GatewayServer, clientCa))
        {
            var certificate = CertificateIssuer.Issue(clientCa, new CertificateRequestSpec
            {
                CommonName = $"{service}.{ns}.svc.{options.ClusterDomain}",
                Organization = organization ?? "BuildKit Pool",
                Profile = CertificateProfile.Server,
                Lifetime = lifetime,
                DnsNames = dnsNames,
                IpAddresses = ips,
            }, now);
            changed.Add(Secret(pool, PoolObjectNames.GatewayTls(name), "pool-tls", new()
            {
                // The chain, so clients that trust only the root CA verify the gateway.
                [SecretKeys.TlsCertificate] = certificate.CertificatePem.TrimEnd() + "\n" + clientCa.CertificatePem.TrimEnd() + "\n",
                [SecretKeys.TlsKey] = certificate.KeyPem!,
                [SecretKeys.CaCertificate] = clientCa.CertificatePem,
            }));
            issued.Add(new("gateway-server", certificate.SerialNumber, certificate.NotAfter));
            server = (CertificateFacts.Read(certificate.CertificatePem), certificate.SerialNumber);
        }

        // 3. The gateway's client certificate towards workers.
        var gatewayClient = Leaf(existing.GatewayClient, SecretKeys.ClientCertificate, SecretKeys.ClientKey, workerCa, now, rotateBefore, null, null);
        if (gatewayClient.Facts is null || NeedsCa(existing.GatewayClient, workerCa))
        {
            var certificate = CertificateIssuer.Issue(workerCa, new CertificateRequestSpec
            {
                CommonName = $"gateway@{name}.{ns}",
                Organization = "BuildKit Gateway",
                Profile = CertificateProfile.Client,
                Lifetime = lifetime,
            }, now);
            changed.Add(Secret(pool, PoolObjectNames.GatewayClientCertificates(name), "client-certs", new()
            {
                [SecretKeys.ClientCertificate] = certificate.CertificatePem,
                [SecretKeys.ClientKey] = certificate.KeyPem!,
                [SecretKeys.CaCertificate] = workerCa.CertificatePem,
            }));
            issued.Add(new("gateway-client", certificate.SerialNumber, certificate.NotAfter));
            gatewayClient = (CertificateFacts.Read(certificate.CertificatePem), certificate.SerialNumber);
        }

        // 4. The workers' server certificate (shared by the pool's workers; the gateway verifies it against the worker CA).
        var workerNames = WorkerServerNames(ns, options.ClusterDomain);
        var worker = Leaf(existing.WorkerServer, SecretKeys.TlsCertificate, SecretKeys.TlsKey, workerCa, now, rotateBefore, workerNames, [IPAddress.Loopback]);
        if (worker.Facts is null || NeedsCa(existing.WorkerServer, workerCa))
        {
            var certificate = CertificateIssuer.Issue(workerCa, new CertificateRequestSpec
            {
                CommonName = workerNames[0],
                Organization = "BuildKit Worker",
                Profile = CertificateProfile.Server,
                Lifetime = lifetime,
                DnsNames = workerNames,
                IpAddresses = [IPAddress.Loopback],
            }, now);
            changed.Add(Secret(pool, PoolObjectNames.WorkerTls(name), "worker-tls", new()
            {
                [SecretKeys.TlsCertificate] = certificate.CertificatePem,
                [SecretKeys.TlsKey] = certificate.KeyPem!,
                [SecretKeys.CaCertificate] = workerCa.CertificatePem,
            }));
            issued.Add(new("worker-server", certificate.SerialNumber, certificate.NotAfter));
            worker = (CertificateFacts.Read(certificate.CertificatePem), certificate.SerialNumber);
        }

        var renewals = new[] { server.Facts, gatewayClient.Facts, worker.Facts }
            .Where(f => f is not null)
            .Select(f => RenewAt(f!, rotateBefore));
        var fingerprint = Fingerprint(clientCa.Certificate.SerialNumber, workerCa.Certificate.SerialNumber, server.Serial, gatewayClient.Serial);
        return new PoolCertificatePlan(changed, issued, server.Facts, renewals.DefaultIfEmpty().Min(), fingerprint, null);
    }

    /// <summary>Names in the worker server certificate; the gateway dials workers with the first as TLS server name.</summary>
    public static IReadOnlyList<string> WorkerServerNames(string ns, string clusterDomain) =>
        [$"buildkit-worker.{ns}.svc.{clusterDomain}", "localhost"];

    private static (CertificateAuthority? Client, CertificateAuthority? Worker) LoadAuthorities(Secret? secret, CertificateAuthority root, out string? problem)
    {
        problem = null;
        if (secret is null)
        {
            return (null, null);
        }

        var data = secret.Data ?? [];
        try
        {
            var client = CertificateAuthority.Load(Text(data, SecretKeys.ClientCaCertificate), Text(data, SecretKeys.ClientCaKey));
            var worker = CertificateAuthority.Load(Text(data, SecretKeys.WorkerCaCertificate), Text(data, SecretKeys.WorkerCaKey));
            var clientFacts = CertificateFacts.Read(Text(data, SecretKeys.ClientCaCertificate));

            // A new root (an admin replaced buildkit-ca) means a new client CA under it; the worker CA stays.
            if (clientFacts is null || !clientFacts.IsIssuedBy(root))
            {
                client.Dispose();
                return (null, worker);
            }

            return (client, worker);
        }
        catch (PkiException ex)
        {
            problem = $"Secret {secret.Metadata.Namespace}/{secret.Metadata.Name} is not a usable pool CA ({ex.Message}); delete it to issue new pool certificates";
            return (null, null);
        }
    }

    private static (CertificateFacts? Facts, string Serial) Leaf(
        Secret? secret, string certificateKey, string keyKey, CertificateAuthority issuer, DateTimeOffset now, TimeSpan rotateBefore,
        IReadOnlyCollection<string>? dnsNames, IReadOnlyCollection<IPAddress>? ips)
    {
        var data = secret?.Data ?? [];
        var certificatePem = Text(data, certificateKey);
        var facts = CertificateFacts.Read(certificatePem);
        if (facts is null
            || !facts.IsIssuedBy(issuer)
            || now < facts.NotBefore
            || now >= RenewAt(facts, rotateBefore)
            || !CertificateFacts.KeyMatches(certificatePem, Text(data, keyKey))
            || (dnsNames is not null && !facts.HasNames(dnsNames, ips ?? [])))
        {
            return (null, "");
        }

        return (facts, facts.SerialNumber);
    }

    private static bool NeedsCa(Secret? secret, CertificateAuthority issuer) =>
        Text(secret?.Data ?? [], SecretKeys.CaCertificate) != issuer.CertificatePem;

    private static DateTimeOffset RenewAt(CertificateFacts facts, TimeSpan rotateBefore)
    {
        var byFraction = facts.RenewAt;
        if (rotateBefore <= TimeSpan.Zero)
        {
            return byFraction;
        }

        // rotateBeforeExpiry counts only when it leaves at least half the lifetime in use; the 720h default on a
        // short-lived certificate would otherwise make every certificate due the moment it is issued.
        if (rotateBefore > (facts.NotAfter - facts.NotBefore) / 2)
        {
            return byFraction;
        }

        var byMargin = facts.NotAfter - rotateBefore;
        return byMargin < byFraction ? byMargin : byFraction;
    }

    private static string Text(Dictionary<string, byte[]> data, string key) =>
        data.TryGetValue(key, out var bytes) ? Encoding.ASCII.GetString(bytes) : "";

    private static string Fingerprint(params string[] parts) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('/', parts))))[..16];

    private static Secret Secret(BuildKitPool pool, string name, string component, Dictionary<string, string> data) => new()
    {
        Metadata = PoolOwnership.Metadata(pool, name, PoolOwnership.ComponentLabels(pool, component)),
        Type = name == PoolObjectNames.GatewayTls(pool.Metadata.Name!) || name == PoolObjectNames.WorkerTls(pool.Metadata.Name!) ? "kubernetes.io/tls" : "Opaque",
        Data = data.ToDictionary(kv => kv.Key, kv => Encoding.ASCII.GetBytes(kv.Value), StringComparer.Ordinal),
    };
}
