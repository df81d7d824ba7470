using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using BuildKitController.Core.Pki;

namespace BuildKitController.Core.Tests.Pki;

public sealed class CertificateIssuerTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static CertificateRequestSpec Server(TimeSpan? lifetime = null) => new()
    {
        CommonName = "pool-gateway",
        Profile = CertificateProfile.Server,
        Lifetime = lifetime ?? TimeSpan.FromDays(365),
        DnsNames = ["pool", "pool.ns.svc", "pool.ns.svc.cluster.local", "localhost", "POOL"],
        IpAddresses = [IPAddress.Loopback],
    };

    [Fact]
    public void Server_certificates_carry_the_requested_names_and_only_serverAuth()
    {
        using var ca = CertificateAuthority.Create("ca", Now, TimeSpan.FromDays(3650));

        var issued = CertificateIssuer.Issue(ca, Server(), Now);

        using var certificate = X509Certificate2.CreateFromPem(issued.CertificatePem, issued.KeyPem);
        Assert.True(certificate.HasPrivateKey);
        Assert.Equal("CN=pool-gateway", certificate.Subject);
        var san = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Equal(["pool", "pool.ns.svc", "pool.ns.svc.cluster.local", "localhost"], san.EnumerateDnsNames());
        Assert.Equal([IPAddress.Loopback], san.EnumerateIPAddresses());
        var eku = certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages;
        Assert.Equal(["1.3.6.1.5.5.7.3.1"], eku.Cast<Oid>().Select(o => o.Value));
        Assert.False(certificate.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
        Assert.True(CertificateAuthorityTests.Chains(issued.CertificatePem, ca.Certificate));
        Assert.StartsWith("-----BEGIN EC PRIVATE KEY-----", issued.KeyPem, StringComparison.Ordinal);
    }

    [Fact]
    public void Allocation_client_certificates_carry_the_token_in_CN_and_URI_SAN()
    {
        using var ca = CertificateAuthority.Create("pool-client-ca", Now, TimeSpan.FromDays(3650));
        var spec = new CertificateRequestSpec
        {
            CommonName = "alloc:tok123",
            Profile = CertificateProfile.Client,
            Lifetime = TimeSpan.FromHours(1),
            Uris = [new Uri("buildkit://allocation/tok123")],
        };

        var issued = CertificateIssuer.Issue(ca, spec, Now);

        using var certificate = X509Certificate2.CreateFromPem(issued.CertificatePem);
        Assert.Equal("alloc:tok123", certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false));
        Assert.Equal(["1.3.6.1.5.5.7.3.2"], certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value));
        Assert.Contains("buildkit://allocation/tok123", certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().Format(false), StringComparison.Ordinal);
        Assert.Equal(Now.AddHours(1), issued.NotAfter);
    }

    [Fact]
    public void Validity_is_backdated_and_never_outlives_the_CA()
    {
        using var ca = CertificateAuthority.Create("ca", Now, TimeSpan.FromDays(30));

        var issued = CertificateIssuer.Issue(ca, Server(TimeSpan.FromDays(365)), Now);

        Assert.Equal(Now.AddMinutes(-5), issued.NotBefore);
        Assert.Equal(new DateTimeOffset(ca.Certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero), issued.NotAfter);
    }

    [Fact]
    public void An_expired_CA_issues_nothing()
    {
        using var ca = CertificateAuthority.Create("ca", Now, TimeSpan.FromDays(1));
        Assert.Throws<PkiException>(() => CertificateIssuer.Issue(ca, Server(), Now.AddDays(2)));
    }

    [Fact]
    public void Serials_are_random_positive_128_bit_numbers()
    {
        using var ca = CertificateAuthority.Create("ca", Now, TimeSpan.FromDays(10));
        var serials = Enumerable.Range(0, 50).Select(_ => CertificateIssuer.Issue(ca, Server(), Now).SerialNumber).ToList();

        Assert.Equal(50, serials.Distinct().Count());
        Assert.All(serials, s =>
        {
            Assert.Equal(32, s.Length);
            Assert.True(Convert.ToByte(s[..2], 16) < 0x80);
        });
    }

    [Fact]
    public void A_certificate_from_one_CA_does_not_chain_to_another()
    {
        using var a = CertificateAuthority.Create("pool-a-client-ca", Now, TimeSpan.FromDays(10));
        using var b = CertificateAuthority.Create("pool-b-client-ca", Now, TimeSpan.FromDays(10));

        var issued = CertificateIssuer.Issue(a, new CertificateRequestSpec { CommonName = "alloc:x", Profile = CertificateProfile.Client, Lifetime = TimeSpan.FromHours(1) }, Now);

        Assert.True(CertificateAuthorityTests.Chains(issued.CertificatePem, a.Certificate));
        Assert.False(CertificateAuthorityTests.Chains(issued.CertificatePem, b.Certificate));
    }

    [Fact]
    public void A_signing_request_gets_a_certificate_for_its_key_and_our_subject()
    {
        using var ca = CertificateAuthority.Create("ca", Now, TimeSpan.FromDays(10));
        using var clientKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var csr = new CertificateRequest("CN=admin,O=system:masters", clientKey, HashAlgorithmName.SHA256);
        csr.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));

        var issued = CertificateIssuer.IssueForSigningRequest(ca, csr.CreateSigningRequestPem(), new CertificateRequestSpec
        {
            CommonName = "alloc:tok",
            Profile = CertificateProfile.Client,
            Lifetime = TimeSpan.FromHours(1),
        }, Now);

        Assert.Null(issued.KeyPem);
        using var certificate = X509Certificate2.CreateFromPem(issued.CertificatePem);
        Assert.Equal("CN=alloc:tok", certificate.Subject);
        Assert.False(certificate.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
        Assert.Equal(clientKey.ExportSubjectPublicKeyInfo(), certificate.GetECDsaPublicKey()!.ExportSubjectPublicKeyInfo());
    }

    [Fact]
    public void A_tampered_signing_request_is_rejected()
    {
        using var ca = CertificateAuthority.Create("ca", Now, TimeSpan.FromDays(10));
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var der = new CertificateRequest("CN=x", key, HashAlgorithmName.SHA256).CreateSigningRequest();
        der[^5] ^= 0xFF;
        var pem = PemEncoding.WriteString("CERTIFICATE REQUEST", der);

        Assert.Throws<PkiException>(() => CertificateIssuer.IssueForSigningRequest(ca, pem, new CertificateRequestSpec
        {
            CommonName = "x",
            Profile = CertificateProfile.Client,
            Lifetime = TimeSpan.FromHours(1),
        }, Now));
    }

    [Fact]
    public void Weak_RSA_keys_in_a_signing_request_are_rejected()
    {
        using var ca = CertificateAuthority.Create("ca", Now, TimeSpan.FromDays(10));
        using var rsa = RSA.Create(1024);
        var pem = new CertificateRequest("CN=x", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).CreateSigningRequestPem();

        var error = Assert.Throws<PkiException>(() => CertificateIssuer.IssueForSigningRequest(ca, pem, new CertificateRequestSpec
        {
            CommonName = "x",
            Profile = CertificateProfile.Client,
            Lifetime = TimeSpan.FromHours(1),
        }, Now));
        Assert.Contains("2048", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Certificates_are_renewed_two_thirds_into_their_lifetime()
    {
        using var ca = CertificateAuthority.Create("ca", Now, TimeSpan.FromDays(3650));
        var issued = CertificateIssuer.Issue(ca, Server(TimeSpan.FromDays(90) - TimeSpan.FromMinutes(5)), Now);

        Assert.Equal(issued.NotBefore + ((issued.NotAfter - issued.NotBefore) * 2 / 3), issued.RenewAt);
        Assert.False(CertificateTimes.NeedsRenewal(issued.CertificatePem, issued.RenewAt.AddSeconds(-1)));
        Assert.True(CertificateTimes.NeedsRenewal(issued.CertificatePem, issued.RenewAt));
        Assert.True(CertificateTimes.NeedsRenewal(issued.CertificatePem, issued.NotBefore.AddSeconds(-1)));
        Assert.True(CertificateTimes.NeedsRenewal("garbage", Now));
        Assert.True(CertificateTimes.NeedsRenewal(null, Now));
    }

    [Fact]
    public void The_key_never_appears_in_ToString()
    {
        using var ca = CertificateAuthority.Create("ca", Now, TimeSpan.FromDays(10));
        var issued = CertificateIssuer.Issue(ca, Server(), Now);
        Assert.DoesNotContain("PRIVATE KEY", issued.ToString(), StringComparison.Ordinal);
    }
}
