using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using BuildKitController.Core.Pki;

namespace BuildKitController.Core.Tests.Pki;

public sealed class CertificateAuthorityTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_new_CA_is_a_self_signed_P256_CA_backdated_five_minutes()
    {
        using var ca = CertificateAuthority.Create("buildkit-ca", Now, TimeSpan.FromDays(3650));

        Assert.Equal("CN=buildkit-ca", ca.Certificate.Subject);
        Assert.Equal(ca.Certificate.Subject, ca.Certificate.Issuer);
        Assert.True(ca.Certificate.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
        Assert.Equal(256, ca.Certificate.GetECDsaPublicKey()!.KeySize);
        Assert.Equal(Now.AddMinutes(-5).UtcDateTime, ca.Certificate.NotBefore.ToUniversalTime());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_CA_exported_as_PEM_loads_back_with_SEC1_or_PKCS8_keys(bool pkcs8)
    {
        using var original = CertificateAuthority.Create("buildkit-ca", Now, TimeSpan.FromDays(365));
        var keyPem = pkcs8 ? original.ExportPkcs8KeyPem() : original.ExportKeyPem();
        Assert.StartsWith(pkcs8 ? "-----BEGIN PRIVATE KEY-----" : "-----BEGIN EC PRIVATE KEY-----", keyPem, StringComparison.Ordinal);

        using var loaded = CertificateAuthority.Load(original.CertificatePem, keyPem);

        Assert.Equal(original.Certificate.Thumbprint, loaded.Certificate.Thumbprint);
        var leaf = CertificateIssuer.Issue(loaded, new CertificateRequestSpec { CommonName = "x", Profile = CertificateProfile.Client, Lifetime = TimeSpan.FromHours(1) }, Now);
        Assert.True(Chains(leaf.CertificatePem, original.Certificate));
    }

    [Fact]
    public void Garbage_certificate_is_rejected_with_a_clear_error()
    {
        using var ca = CertificateAuthority.Create("ca", Now, TimeSpan.FromDays(1));
        var error = Assert.Throws<PkiException>(() => CertificateAuthority.Load("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----", ca.ExportKeyPem()));
        Assert.Contains("certificate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Garbage_key_is_rejected_with_a_clear_error()
    {
        using var ca = CertificateAuthority.Create("ca", Now, TimeSpan.FromDays(1));
        var error = Assert.Throws<PkiException>(() => CertificateAuthority.Load(ca.CertificatePem, "not a key"));
        Assert.Contains("key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_from_another_CA_is_rejected()
    {
        using var a = CertificateAuthority.Create("a", Now, TimeSpan.FromDays(1));
        using var b = CertificateAuthority.Create("b", Now, TimeSpan.FromDays(1));
        var error = Assert.Throws<PkiException>(() => CertificateAuthority.Load(a.CertificatePem, b.ExportKeyPem()));
        Assert.Contains("does not belong", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_leaf_certificate_cannot_be_loaded_as_a_CA()
    {
        using var ca = CertificateAuthority.Create("ca", Now, TimeSpan.FromDays(1));
        var leaf = CertificateIssuer.Issue(ca, new CertificateRequestSpec { CommonName = "leaf", Profile = CertificateProfile.Server, Lifetime = TimeSpan.FromHours(1) }, Now);

        var error = Assert.Throws<PkiException>(() => CertificateAuthority.Load(leaf.CertificatePem, leaf.KeyPem!));
        Assert.Contains("not marked as a certificate authority", error.Message, StringComparison.Ordinal);
    }

    internal static bool Chains(string leafPem, X509Certificate2 root)
    {
        using var leaf = X509Certificate2.CreateFromPem(leafPem);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.VerificationTime = leaf.NotBefore.AddMinutes(10);
        chain.ChainPolicy.VerificationTimeIgnored = false;
        return chain.Build(leaf);
    }

    internal static ECDsa NewKey() => ECDsa.Create(ECCurve.NamedCurves.nistP256);
}
