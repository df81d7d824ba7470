using System.Security.Cryptography.X509Certificates;

namespace BuildKitController.Core.Pki;

/// <summary>A leaf certificate and, unless it was issued for a client's own key (CSR), its private key, as PEM.</summary>
public sealed record IssuedCertificate(string CertificatePem, string? KeyPem, DateTimeOffset NotBefore, DateTimeOffset NotAfter, string SerialNumber)
{
    /// <summary>When it should be replaced: two thirds into its lifetime.</summary>
    public DateTimeOffset RenewAt => CertificateTimes.RenewalTime(NotBefore, NotAfter);

    internal static IssuedCertificate From(X509Certificate2 certificate, string? keyPem) => new(
        certificate.ExportCertificatePem(),
        keyPem,
        new DateTimeOffset(certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero),
        new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero),
        certificate.SerialNumber);

    // Never print the key.
    public override string ToString() => $"IssuedCertificate(serial {SerialNumber}, {NotBefore:O} .. {NotAfter:O})";
}
