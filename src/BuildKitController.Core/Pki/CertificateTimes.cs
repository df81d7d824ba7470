using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace BuildKitController.Core.Pki;

/// <summary>Validity arithmetic: certificates are renewed two thirds into their lifetime.</summary>
public static class CertificateTimes
{
    public static DateTimeOffset RenewalTime(DateTimeOffset notBefore, DateTimeOffset notAfter) =>
        notBefore + ((notAfter - notBefore) * 2 / 3);

    /// <summary>Whether a PEM certificate is missing, unreadable, not yet valid, or past its renewal time.</summary>
    public static bool NeedsRenewal(string? certificatePem, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(certificatePem))
        {
            return true;
        }

        try
        {
            using var certificate = X509Certificate2.CreateFromPem(certificatePem);
            var notBefore = new DateTimeOffset(certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero);
            var notAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);
            return now < notBefore || now >= RenewalTime(notBefore, notAfter);
        }
        catch (CryptographicException)
        {
            return true;
        }
    }
}
