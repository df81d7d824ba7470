using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace BuildKitController.Core.Pki;

/// <summary>
/// What the controller needs to know about an existing leaf certificate to decide whether to keep it: validity,
/// issuer key id, names, and whether a private key belongs to it. Cheap enough to run on every reconcile.
/// </summary>
public sealed record CertificateFacts(
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter,
    string SerialNumber,
    string Issuer,
    string? AuthorityKeyId,
    IReadOnlyList<string> DnsNames,
    IReadOnlyList<IPAddress> IpAddresses)
{
    public DateTimeOffset RenewAt => CertificateTimes.RenewalTime(NotBefore, NotAfter);

    /// <summary>Reads the first certificate of a PEM; null when it is missing or unreadable.</summary>
    public static CertificateFacts? Read(string? certificatePem)
    {
        if (string.IsNullOrWhiteSpace(certificatePem))
        {
            return null;
        }

        try
        {
            using var certificate = X509Certificate2.CreateFromPem(certificatePem);
            var aki = certificate.Extensions.OfType<X509AuthorityKeyIdentifierExtension>().FirstOrDefault()?.KeyIdentifier;
            var dns = new List<string>();
            var ips = new List<IPAddress>();
            foreach (var san in certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>())
            {
                dns.AddRange(san.EnumerateDnsNames());
                ips.AddRange(san.EnumerateIPAddresses());
            }

            return new CertificateFacts(
                new DateTimeOffset(certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero),
                new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero),
                certificate.SerialNumber,
                certificate.Issuer,
                aki is { } id ? Convert.ToHexString(id.Span) : null,
                dns,
                ips);
        }
        catch (CryptographicException)
        {
            return null;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>Whether this certificate names <paramref name="authority"/>'s key as its issuer.</summary>
    public bool IsIssuedBy(CertificateAuthority authority)
    {
        ArgumentNullException.ThrowIfNull(authority);
        var ski = authority.Certificate.Extensions.OfType<X509SubjectKeyIdentifierExtension>().FirstOrDefault()?.SubjectKeyIdentifier;
        return ski is not null && AuthorityKeyId is not null
            ? string.Equals(ski, AuthorityKeyId, StringComparison.OrdinalIgnoreCase)
            : string.Equals(authority.Certificate.Subject, Issuer, StringComparison.Ordinal);
    }

    /// <summary>Whether the DNS and IP names are exactly <paramref name="dnsNames"/> and <paramref name="ipAddresses"/> (order and case ignored).</summary>
    public bool HasNames(IEnumerable<string> dnsNames, IEnumerable<IPAddress> ipAddresses) =>
        DnsNames.ToHashSet(StringComparer.OrdinalIgnoreCase).SetEquals(dnsNames) && IpAddresses.ToHashSet().SetEquals(ipAddresses);

    /// <summary>Whether <paramref name="keyPem"/> is the private key of <paramref name="certificatePem"/>.</summary>
    public static bool KeyMatches(string? certificatePem, string? keyPem)
    {
        if (string.IsNullOrWhiteSpace(certificatePem) || string.IsNullOrWhiteSpace(keyPem))
        {
            return false;
        }

        try
        {
            using var certificate = X509Certificate2.CreateFromPem(certificatePem);
            using var publicKey = certificate.GetECDsaPublicKey();
            using var key = ECDsa.Create();
            key.ImportFromPem(keyPem);
            return publicKey is not null && publicKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(key.ExportSubjectPublicKeyInfo());
        }
        catch (CryptographicException)
        {
            return false;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
