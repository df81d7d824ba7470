using System.Buffers.Text;
using System.Security.Cryptography;
using BuildKitController.Operator.Oidc;

namespace BuildKitController.Operator.Auth.Jwt;

/// <summary>
/// JWS signature verification (RFC 7518 §3.3–3.5) with the platform's RSA and ECDSA: RS256/384/512 (PKCS #1 v1.5),
/// PS256/384/512 (PSS) with RSA keys, ES256 with P-256 and ES384 with P-384 keys (r‖s signatures). A key fits an
/// algorithm only when its type (and curve) match and its own <c>alg</c>, if any, is the same algorithm, so one
/// key is never used under two algorithms.
/// </summary>
internal static class JwsSignature
{
    /// <summary>Whether <paramref name="key"/> may verify <paramref name="algorithm"/> signatures.</summary>
    public static bool Fits(string algorithm, JsonWebKey key)
    {
        ArgumentNullException.ThrowIfNull(algorithm);
        ArgumentNullException.ThrowIfNull(key);
        if (key.Algorithm is not null && !string.Equals(key.Algorithm, algorithm, StringComparison.Ordinal))
        {
            return false;
        }

        return algorithm switch
        {
            "RS256" or "RS384" or "RS512" or "PS256" or "PS384" or "PS512" => key.KeyType == "RSA",
            "ES256" => key.KeyType == "EC" && key.Curve == "P-256",
            "ES384" => key.KeyType == "EC" && key.Curve == "P-384",
            _ => false,
        };
    }

    /// <summary>Whether <paramref name="signature"/> is a valid <paramref name="algorithm"/> signature of <paramref name="data"/> by <paramref name="key"/>.</summary>
    public static bool Verify(string algorithm, JsonWebKey key, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        if (!Fits(algorithm, key) || signature.IsEmpty)
        {
            return false;
        }

        var hash = algorithm[2..] switch
        {
            "256" => HashAlgorithmName.SHA256,
            "384" => HashAlgorithmName.SHA384,
            _ => HashAlgorithmName.SHA512,
        };
        try
        {
            return key.KeyType == "RSA" ? VerifyRsa(algorithm, key, hash, data, signature) : VerifyEcdsa(algorithm, key, hash, data, signature);
        }
        catch (CryptographicException)
        {
            return false;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static bool VerifyRsa(string algorithm, JsonWebKey key, HashAlgorithmName hash, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        var modulus = Base64Url.DecodeFromChars(key.Modulus);
        var leadingZeros = modulus.AsSpan().IndexOfAnyExcept((byte)0);
        if (leadingZeros < 0)
        {
            return false;
        }

        modulus = modulus[leadingZeros..];
        if (modulus.Length * 8 < SigningKeyFilter.MinimumRsaBits || signature.Length != modulus.Length)
        {
            return false;
        }

        using var rsa = RSA.Create(new RSAParameters { Modulus = modulus, Exponent = Base64Url.DecodeFromChars(key.Exponent) });
        var padding = algorithm[0] == 'P' ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1;
        return rsa.VerifyData(data, signature, hash, padding);
    }

    private static bool VerifyEcdsa(string algorithm, JsonWebKey key, HashAlgorithmName hash, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        var (curve, size) = algorithm == "ES256" ? (ECCurve.NamedCurves.nistP256, 32) : (ECCurve.NamedCurves.nistP384, 48);
        var x = Base64Url.DecodeFromChars(key.X);
        var y = Base64Url.DecodeFromChars(key.Y);
        if (x.Length != size || y.Length != size || signature.Length != 2 * size)
        {
            return false;
        }

        using var ecdsa = ECDsa.Create(new ECParameters { Curve = curve, Q = new ECPoint { X = x, Y = y } });
        return ecdsa.VerifyData(data, signature, hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }
}
