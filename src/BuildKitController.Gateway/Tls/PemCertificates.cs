using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace BuildKitController.Gateway.Tls;

/// <summary>PEM parsing helpers with clear errors.</summary>
internal static class PemCertificates
{
    /// <summary>Every certificate of a PEM bundle; throws <see cref="InvalidDataException"/> when there is none.</summary>
    public static X509Certificate2Collection Bundle(string pem, string what)
    {
        var collection = new X509Certificate2Collection();
        try
        {
            collection.ImportFromPem(pem);
        }
        catch (CryptographicException ex)
        {
            throw new InvalidDataException($"{what} is not a PEM certificate bundle: {ex.Message}", ex);
        }

        return collection.Count > 0 ? collection : throw new InvalidDataException($"{what} holds no certificate");
    }

    /// <summary>The first certificate of <paramref name="certificatePem"/> with its private key, plus the rest of the chain.</summary>
    public static (X509Certificate2 Leaf, X509Certificate2Collection Chain) WithKey(string certificatePem, string keyPem, string what)
    {
        var all = Bundle(certificatePem, what);
        X509Certificate2 leaf;
        try
        {
            using var publicOnly = all[0];
            leaf = X509Certificate2.CreateFromPem(publicOnly.ExportCertificatePem(), keyPem);
        }
        catch (CryptographicException ex)
        {
            throw new InvalidDataException($"{what}: the key does not load or does not match the certificate ({ex.Message})", ex);
        }

        var chain = new X509Certificate2Collection();
        for (var i = 1; i < all.Count; i++)
        {
            chain.Add(all[i]);
        }

        return (leaf, chain);
    }
}
