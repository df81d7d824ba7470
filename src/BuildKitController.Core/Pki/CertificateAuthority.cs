using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace BuildKitController.Core.Pki;

/// <summary>
/// A signing certificate with its ECDSA P-256 key: the compatible root CA (<c>buildkit-ca</c>) or a per-pool CA.
/// Owns the key; dispose when done.
/// </summary>
public sealed class CertificateAuthority : IDisposable
{
    private CertificateAuthority(X509Certificate2 certificate, ECDsa key)
    {
        Certificate = certificate;
        Key = key;
    }

    /// <summary>The CA certificate (public part only).</summary>
    public X509Certificate2 Certificate { get; }

    internal ECDsa Key { get; }

    public string CertificatePem => Certificate.ExportCertificatePem();

    /// <summary>
    /// A new self-signed root CA, valid from <paramref name="now"/> minus <see cref="Issuance.Backdate"/>. It may sign one
    /// level of subordinate CAs (the per-pool client CAs).
    /// </summary>
    public static CertificateAuthority Create(string commonName, DateTimeOffset now, TimeSpan lifetime, string? organization = null) =>
        CreateCore(commonName, organization, now, lifetime, parent: null, pathLength: 1);

    /// <summary>
    /// A new CA signed by <paramref name="parent"/> that may issue only leaf certificates. Its validity never exceeds
    /// the parent's.
    /// </summary>
    public static CertificateAuthority CreateSubordinate(CertificateAuthority parent, string commonName, DateTimeOffset now, TimeSpan lifetime, string? organization = null)
    {
        ArgumentNullException.ThrowIfNull(parent);
        return CreateCore(commonName, organization, now, lifetime, parent, pathLength: 0);
    }

    /// <summary>A new self-signed CA that may issue only leaf certificates (the per-pool worker CAs).</summary>
    public static CertificateAuthority CreateLeafIssuer(string commonName, DateTimeOffset now, TimeSpan lifetime, string? organization = null) =>
        CreateCore(commonName, organization, now, lifetime, parent: null, pathLength: 0);

    private static CertificateAuthority CreateCore(string commonName, string? organization, DateTimeOffset now, TimeSpan lifetime, CertificateAuthority? parent, int pathLength)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        try
        {
            var request = new CertificateRequest(Issuance.BuildSubject(commonName, organization), key, HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: pathLength, critical: true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, critical: true));
            request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
            var notBefore = now - Issuance.Backdate;
            var notAfter = now + lifetime;
            if (parent is null)
            {
                using var selfSigned = request.Create(request.SubjectName, X509SignatureGenerator.CreateForECDsa(key), notBefore, notAfter, Issuance.NewSerialNumber());
                return new CertificateAuthority(X509CertificateLoader.LoadCertificate(selfSigned.RawData), key);
            }

            request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(parent.Certificate, includeKeyIdentifier: true, includeIssuerAndSerial: false));
            var parentNotAfter = new DateTimeOffset(parent.Certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);
            if (notAfter > parentNotAfter)
            {
                notAfter = parentNotAfter;
            }

            if (notAfter <= now)
            {
                throw new PkiException("the parent CA has expired");
            }

            using var signed = request.Create(parent.Certificate.SubjectName, X509SignatureGenerator.CreateForECDsa(parent.Key), notBefore, notAfter, Issuance.NewSerialNumber());
            return new CertificateAuthority(X509CertificateLoader.LoadCertificate(signed.RawData), key);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Loads a CA from PEM (<c>ca.crt</c>, <c>ca.key</c>); the key may be SEC1 (<c>EC PRIVATE KEY</c>) or PKCS#8.
    /// Throws <see cref="PkiException"/> when either part is malformed, not a CA, or the key does not match.
    /// </summary>
    public static CertificateAuthority Load(string certificatePem, string keyPem)
    {
        X509Certificate2 certificate;
        try
        {
            certificate = X509Certificate2.CreateFromPem(certificatePem);
        }
        catch (CryptographicException ex)
        {
            throw new PkiException("the CA certificate is not a valid PEM certificate", ex);
        }

        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(keyPem);
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            key.Dispose();
            certificate.Dispose();
            throw new PkiException("the CA key is not a valid PEM ECDSA private key", ex);
        }

        using var publicKey = certificate.GetECDsaPublicKey();
        if (publicKey is null || !publicKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(key.ExportSubjectPublicKeyInfo()))
        {
            key.Dispose();
            certificate.Dispose();
            throw new PkiException("the CA key does not belong to the CA certificate");
        }

        if (certificate.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault() is not { CertificateAuthority: true })
        {
            key.Dispose();
            certificate.Dispose();
            throw new PkiException("the CA certificate is not marked as a certificate authority");
        }

        return new CertificateAuthority(certificate, key);
    }

    /// <summary>The private key as SEC1 PEM (<c>EC PRIVATE KEY</c>), the format the Go project writes.</summary>
    public string ExportKeyPem() => Key.ExportECPrivateKeyPem();

    /// <summary>The private key as PKCS#8 PEM (<c>PRIVATE KEY</c>).</summary>
    public string ExportPkcs8KeyPem() => Key.ExportPkcs8PrivateKeyPem();

    public void Dispose()
    {
        Certificate.Dispose();
        Key.Dispose();
    }
}
