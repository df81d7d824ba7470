using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace BuildKitController.Core.Pki;

/// <summary>Rules shared by every certificate we issue.</summary>
public static class Issuance
{
    /// <summary>NotBefore is set this far in the past so peers with slightly slow clocks accept a fresh certificate.</summary>
    public static readonly TimeSpan Backdate = TimeSpan.FromMinutes(5);

    /// <summary>A random positive 128-bit serial number (RFC 5280 allows up to 20 octets).</summary>
    public static byte[] NewSerialNumber()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        serial[0] |= 0x01; // never a leading zero octet, so DER keeps all 16 bytes
        return serial;
    }

    internal static X500DistinguishedName BuildSubject(string commonName, string? organization)
    {
        var builder = new X500DistinguishedNameBuilder();
        if (!string.IsNullOrEmpty(organization))
        {
            builder.AddOrganizationName(organization);
        }

        builder.AddCommonName(commonName);
        return builder.Build();
    }
}
