using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using BuildKitController.Core.Allocation;

namespace BuildKitController.Gateway.Routing;

/// <summary>
/// The allocation token of a client certificate: the subject common name <c>alloc:&lt;token&gt;</c> (what the Go
/// controller issued) or a URI SAN <c>buildkit://allocation/&lt;token&gt;</c>. Both may be present (this
/// controller writes both) but must then agree; a certificate naming two different tokens carries none. Malformed
/// names and SAN encodings are ignored, never fatal.
/// </summary>
internal static class AllocationTokenReader
{
    private const string CommonNameOid = "2.5.4.3";
    private const string SubjectAltNameOid = "2.5.29.17";
    private static readonly Asn1Tag UriTag = new(TagClass.ContextSpecific, 6);

    public static string? Read(X509Certificate2? certificate)
    {
        if (certificate is null)
        {
            return null;
        }

        var tokens = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in CommonNames(certificate))
        {
            if (AllocationToken.FromCommonName(name) is { } token)
            {
                tokens.Add(token);
            }
        }

        foreach (var uri in UriNames(certificate))
        {
            if (AllocationToken.FromUri(uri) is { } token)
            {
                tokens.Add(token);
            }
        }

        return tokens.Count == 1 ? tokens.First() : null;
    }

    private static List<string> CommonNames(X509Certificate2 certificate)
    {
        var names = new List<string>();
        try
        {
            foreach (var rdn in certificate.SubjectName.EnumerateRelativeDistinguishedNames())
            {
                if (!rdn.HasMultipleElements && rdn.GetSingleElementType().Value == CommonNameOid && rdn.GetSingleElementValue() is { } value)
                {
                    names.Add(value);
                }
            }
        }
        catch (CryptographicException)
        {
            // An undecodable subject carries no token.
        }

        return names;
    }

    private static List<string> UriNames(X509Certificate2 certificate)
    {
        var uris = new List<string>();
        foreach (var extension in certificate.Extensions)
        {
            if (extension.Oid?.Value != SubjectAltNameOid)
            {
                continue;
            }

            try
            {
                var reader = new AsnReader(extension.RawData, AsnEncodingRules.DER);
                var names = reader.ReadSequence();
                while (names.HasData)
                {
                    var tag = names.PeekTag();
                    if (tag == UriTag)
                    {
                        uris.Add(names.ReadCharacterString(UniversalTagNumber.IA5String, UriTag));
                    }
                    else
                    {
                        names.ReadEncodedValue();
                    }
                }
            }
            catch (AsnContentException)
            {
                // A malformed SAN carries no token.
            }
        }

        return uris;
    }
}
