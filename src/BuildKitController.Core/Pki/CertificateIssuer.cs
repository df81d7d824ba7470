using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace BuildKitController.Core.Pki;

/// <summary>
/// Issues leaf certificates from a <see cref="CertificateAuthority"/>: ECDSA P-256 keys, SHA-256 signatures,
/// random 128-bit serials, NotBefore backdated by <see cref="Issuance.Backdate"/>, a single extended key usage
/// (server or client), SANs as requested, and never beyond the CA's own expiry.
/// </summary>
public static class CertificateIssuer
{
    private static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuth = new("1.3.6.1.5.5.7.3.2");

    /// <summary>Generates a key pair and issues a certificate for it; the result carries the key as SEC1 PEM.</summary>
    public static IssuedCertificate Issue(CertificateAuthority authority, CertificateRequestSpec spec, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(authority);
        ArgumentNullException.ThrowIfNull(spec);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(Issuance.BuildSubject(spec.CommonName, spec.Organization), key, HashAlgorithmName.SHA256);
        using var certificate = Sign(authority, request, spec, now);
        return IssuedCertificate.From(certificate, key.ExportECPrivateKeyPem());
    }

    /// <summary>
    /// Issues a certificate for the public key of a PKCS#10 request, so the private key never leaves the client.
    /// Only the key is taken from the request (its signature is verified); subject, SANs and usages are ours.
    /// </summary>
    public static IssuedCertificate IssueForSigningRequest(CertificateAuthority authority, string csrPem, CertificateRequestSpec spec, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(authority);
        ArgumentNullException.ThrowIfNull(spec);
        CertificateRequest csr;
        try
        {
            csr = CertificateRequest.LoadSigningRequestPem(csrPem, HashAlgorithmName.SHA256, CertificateRequestLoadOptions.Default);
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            throw new PkiException("the certificate signing request is malformed or its signature does not verify", ex);
        }

        ValidatePublicKey(csr.PublicKey);
        var request = new CertificateRequest(Issuance.BuildSubject(spec.CommonName, spec.Organization), csr.PublicKey, HashAlgorithmName.SHA256);
        using var certificate = Sign(authority, request, spec, now);
        return IssuedCertificate.From(certificate, keyPem: null);
    }

    /// <summary>Throws <see cref="PkiException"/> unless <paramref name="csrPem"/> is a well-formed, self-signed request for an acceptable key.</summary>
    public static void ValidateSigningRequest(string csrPem)
    {
        try
        {
            var csr = CertificateRequest.LoadSigningRequestPem(csrPem, HashAlgorithmName.SHA256, CertificateRequestLoadOptions.Default);
            ValidatePublicKey(csr.PublicKey);
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            throw new PkiException("the certificate signing request is malformed or its signature does not verify", ex);
        }
    }

    private static X509Certificate2 Sign(CertificateAuthority authority, CertificateRequest request, CertificateRequestSpec spec, DateTimeOffset now)
    {
        if (spec.Lifetime <= TimeSpan.Zero)
        {
            throw new PkiException("a certificate lifetime must be positive");
        }

        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [spec.Profile == CertificateProfile.Server ? ServerAuth : ClientAuth], critical: false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authority.Certificate, includeKeyIdentifier: true, includeIssuerAndSerial: false));

        if (spec.DnsNames.Count > 0 || spec.IpAddresses.Count > 0 || spec.Uris.Count > 0)
        {
            var names = new SubjectAlternativeNameBuilder();
            foreach (var dns in spec.DnsNames.Distinct(StringComparer.OrdinalIgnoreCase))
            {
                names.AddDnsName(dns);
            }

            foreach (var ip in spec.IpAddresses.Distinct())
            {
                names.AddIpAddress(ip);
            }

            foreach (var uri in spec.Uris.Distinct())
            {
                names.AddUri(uri);
            }

            request.CertificateExtensions.Add(names.Build(critical: false));
        }

        var notBefore = now - Issuance.Backdate;
        var notAfter = now + spec.Lifetime;
        var caNotAfter = new DateTimeOffset(authority.Certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);
        if (notAfter > caNotAfter)
        {
            notAfter = caNotAfter;
        }

        if (notAfter <= now)
        {
            throw new PkiException("the issuing CA has expired");
        }

        var generator = X509SignatureGenerator.CreateForECDsa(authority.Key);
        return request.Create(authority.Certificate.SubjectName, generator, notBefore, notAfter, Issuance.NewSerialNumber());
    }

    private static void ValidatePublicKey(PublicKey publicKey)
    {
        using var ec = publicKey.GetECDsaPublicKey();
        if (ec is not null)
        {
            if (ec.KeySize < 256)
            {
                throw new PkiException($"ECDSA keys must be at least 256 bits (got {ec.KeySize})");
            }

            return;
        }

        using var rsa = publicKey.GetRSAPublicKey();
        if (rsa is not null)
        {
            if (rsa.KeySize < 2048)
            {
                throw new PkiException($"RSA keys must be at least 2048 bits (got {rsa.KeySize})");
            }

            return;
        }

        throw new PkiException("only ECDSA and RSA public keys are accepted");
    }
}
