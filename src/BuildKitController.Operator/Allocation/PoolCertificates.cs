using System.Collections.Concurrent;
using System.Text;
using BuildKitController.Core.Pki;
using BuildKitController.Operator.Naming;
using BuildKitController.Operator.Pki;

namespace BuildKitController.Operator.Allocation;

/// <summary>
/// Issues allocation certificates from a pool's client CA (Secret <c>&lt;pool&gt;-ca</c>, parsed once per
/// resourceVersion): <c>CN=alloc:&lt;token&gt;</c>, URI SAN <c>buildkit://allocation/&lt;token&gt;</c>, client
/// authentication only, valid until the allocation expires. The CA clients verify gateways with is the root.
/// </summary>
internal sealed class PoolCertificates(AllocationCaches caches, string controllerNamespace, string rootCaSecretName = "buildkit-ca")
{
    private readonly ConcurrentDictionary<(string Namespace, string Pool), (string Version, CertificateAuthority Authority)> _authorities = new();

    public (IssuedCertificate Certificate, string CaPem) Issue(string ns, string pool, string token, DateTimeOffset expiresAt, string? csrPem, DateTimeOffset now)
    {
        var authority = ClientAuthority(ns, pool);
        var root = caches.RootCa.Get(controllerNamespace, rootCaSecretName)?.Data?.GetValueOrDefault(SecretKeys.CaCertificate) is { Length: > 0 } rootPem
            ? Encoding.ASCII.GetString(rootPem)
            : throw new AllocationException(503, AllocationErrors.NotReady, "the cluster CA is not available yet", TimeSpan.FromSeconds(5));
        var spec = new CertificateRequestSpec
        {
            CommonName = $"alloc:{token}",
            Organization = "BuildKit Client",
            Profile = CertificateProfile.Client,
            Lifetime = expiresAt - now,
            Uris = [new Uri($"buildkit://allocation/{token}")],
        };
        try
        {
            var certificate = csrPem is null
                ? CertificateIssuer.Issue(authority, spec, now)
                : CertificateIssuer.IssueForSigningRequest(authority, csrPem, spec, now);
            return (certificate, root);
        }
        catch (PkiException ex)
        {
            throw AllocationErrors.BadRequest(ex.Message);
        }
    }

    private CertificateAuthority ClientAuthority(string ns, string pool)
    {
        var secret = caches.Secrets.Get(ns, PoolObjectNames.Authorities(pool))
            ?? throw new AllocationException(503, AllocationErrors.NotReady, $"pool {ns}/{pool} has no certificates yet", TimeSpan.FromSeconds(5));
        var version = secret.Metadata.ResourceVersion ?? "";
        if (_authorities.TryGetValue((ns, pool), out var known) && known.Version == version)
        {
            return known.Authority;
        }

        try
        {
            var data = secret.Data ?? [];
            var authority = CertificateAuthority.Load(
                Encoding.ASCII.GetString(data.GetValueOrDefault(SecretKeys.ClientCaCertificate) ?? []),
                Encoding.ASCII.GetString(data.GetValueOrDefault(SecretKeys.ClientCaKey) ?? []));
            _authorities[(ns, pool)] = (version, authority);
            return authority;
        }
        catch (PkiException)
        {
            throw new AllocationException(503, AllocationErrors.NotReady, $"pool {ns}/{pool} has no usable client CA", TimeSpan.FromSeconds(30));
        }
    }
}
