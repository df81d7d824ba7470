using System.Net;
using System.Security.Cryptography.X509Certificates;
using BuildKitController.Core.Pki;

namespace BuildKitController.Core.Tests.Pki;

public sealed class CertificateFactsTests
{
    private static readonly DateTimeOffset Now = new(2026, 5, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Facts_of_an_issued_certificate_name_its_issuer_validity_and_names()
    {
        using var root = CertificateAuthority.Create("root", Now, TimeSpan.FromDays(365));
        using var other = CertificateAuthority.Create("other", Now, TimeSpan.FromDays(365));
        var issued = CertificateIssuer.Issue(root, new CertificateRequestSpec
        {
            CommonName = "gw",
            Profile = CertificateProfile.Server,
            Lifetime = TimeSpan.FromHours(3),
            DnsNames = ["a.default.svc", "localhost"],
            IpAddresses = [IPAddress.Loopback],
        }, Now);

        var facts = CertificateFacts.Read(issued.CertificatePem)!;
        Assert.True(facts.IsIssuedBy(root));
        Assert.False(facts.IsIssuedBy(other));
        Assert.Equal(Now.AddHours(3), facts.NotAfter);
        Assert.Equal(issued.SerialNumber, facts.SerialNumber);
        Assert.True(facts.HasNames(["LOCALHOST", "a.default.svc"], [IPAddress.Loopback]));
        Assert.False(facts.HasNames(["a.default.svc"], [IPAddress.Loopback]));
        Assert.True(CertificateFacts.KeyMatches(issued.CertificatePem, issued.KeyPem));
        var stranger = CertificateIssuer.Issue(root, new CertificateRequestSpec { CommonName = "x", Profile = CertificateProfile.Client, Lifetime = TimeSpan.FromHours(1) }, Now);
        Assert.False(CertificateFacts.KeyMatches(issued.CertificatePem, stranger.KeyPem));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")]
    public void Unreadable_input_gives_no_facts_and_no_key_match(string? pem)
    {
        Assert.Null(CertificateFacts.Read(pem));
        Assert.False(CertificateFacts.KeyMatches(pem, "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n"));
    }

    [Fact]
    public void A_subordinate_CA_chains_to_its_parent_and_may_issue_only_leaves()
    {
        using var root = CertificateAuthority.Create("root", Now, TimeSpan.FromDays(30));
        using var pool = CertificateAuthority.CreateSubordinate(root, "pool", Now, TimeSpan.FromDays(3650));
        using var worker = CertificateAuthority.CreateLeafIssuer("worker", Now, TimeSpan.FromDays(10));

        Assert.True(CertificateFacts.Read(pool.CertificatePem)!.IsIssuedBy(root));
        Assert.False(CertificateFacts.Read(worker.CertificatePem)!.IsIssuedBy(root));
        Assert.Equal(root.Certificate.NotAfter, pool.Certificate.NotAfter);
        Assert.Equal(0, pool.Certificate.Extensions.OfType<X509BasicConstraintsExtension>().Single().PathLengthConstraint);
        Assert.Equal(1, root.Certificate.Extensions.OfType<X509BasicConstraintsExtension>().Single().PathLengthConstraint);

        // A leaf of the subordinate verifies against the root with the subordinate as intermediate.
        var leaf = CertificateIssuer.Issue(pool, new CertificateRequestSpec { CommonName = "c", Profile = CertificateProfile.Client, Lifetime = TimeSpan.FromHours(1) }, Now);
        using var leafCertificate = X509Certificate2.CreateFromPem(leaf.CertificatePem);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root.Certificate);
        chain.ChainPolicy.ExtraStore.Add(pool.Certificate);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = Now.UtcDateTime.AddMinutes(1);
        Assert.True(chain.Build(leafCertificate), string.Join(", ", chain.ChainStatus.Select(s => s.StatusInformation)));
    }

    [Fact]
    public void A_subordinate_of_an_expired_parent_is_refused()
    {
        using var root = CertificateAuthority.Create("root", Now, TimeSpan.FromDays(1));
        Assert.Throws<PkiException>(() => CertificateAuthority.CreateSubordinate(root, "pool", Now.AddDays(2), TimeSpan.FromDays(1)));
    }
}
