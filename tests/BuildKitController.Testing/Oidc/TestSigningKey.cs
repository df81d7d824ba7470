using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;

namespace BuildKitController.Testing.Oidc;

/// <summary>
/// A signing key of the test issuer (or one the issuer does not publish, for "unknown key" tests): an RSA or EC
/// private key, its key id and JWS algorithm, and its public JWK.
/// </summary>
public sealed class TestSigningKey : IDisposable
{
    /// <summary>Algorithms <see cref="Create"/> accepts.</summary>
    public static IReadOnlyList<string> SupportedAlgorithms { get; } = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"];

    private readonly RSA? _rsa;
    private readonly ECDsa? _ecdsa;

    private TestSigningKey(string keyId, string algorithm, RSA? rsa, ECDsa? ecdsa)
    {
        KeyId = keyId;
        Algorithm = algorithm;
        _rsa = rsa;
        _ecdsa = ecdsa;
    }

    /// <summary>The <c>kid</c> published in the JWKS and written in token headers.</summary>
    public string KeyId { get; }

    /// <summary>The JWS algorithm (<c>RS256</c>, <c>ES256</c>, …).</summary>
    public string Algorithm { get; }

    /// <summary><c>RSA</c> or <c>EC</c>.</summary>
    public string KeyType => _rsa is not null ? "RSA" : "EC";

    /// <summary>The curve of an EC key (<c>P-256</c>, <c>P-384</c>, <c>P-521</c>); null for RSA.</summary>
    public string? Curve => Algorithm switch
    {
        "ES256" => "P-256",
        "ES384" => "P-384",
        "ES512" => "P-521",
        _ => null,
    };

    /// <summary>A fresh key for <paramref name="algorithm"/> (RSA keys are 2048 bits) with a random key id unless one is given.</summary>
    public static TestSigningKey Create(string algorithm = "RS256", string? keyId = null)
    {
        ArgumentNullException.ThrowIfNull(algorithm);
        keyId ??= $"{algorithm.ToLowerInvariant()}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}";
        return algorithm switch
        {
            "RS256" or "RS384" or "RS512" or "PS256" or "PS384" or "PS512" => new TestSigningKey(keyId, algorithm, RSA.Create(2048), null),
            "ES256" => new TestSigningKey(keyId, algorithm, null, ECDsa.Create(ECCurve.NamedCurves.nistP256)),
            "ES384" => new TestSigningKey(keyId, algorithm, null, ECDsa.Create(ECCurve.NamedCurves.nistP384)),
            "ES512" => new TestSigningKey(keyId, algorithm, null, ECDsa.Create(ECCurve.NamedCurves.nistP521)),
            _ => throw new ArgumentException($"unsupported algorithm \"{algorithm}\"; expected one of {string.Join(", ", SupportedAlgorithms)}", nameof(algorithm)),
        };
    }

    /// <summary>Signs <paramref name="data"/> with this key's algorithm (ECDSA signatures in the JWS IEEE P1363 form, r‖s).</summary>
    public byte[] Sign(ReadOnlySpan<byte> data)
    {
        if (_rsa is not null)
        {
            return _rsa.SignData(data, Hash, Algorithm.StartsWith("PS", StringComparison.Ordinal) ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1);
        }

        return _ecdsa!.SignData(data, Hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    /// <summary>Whether <paramref name="signature"/> is this key's signature of <paramref name="data"/>.</summary>
    public bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature) => _rsa is not null
        ? _rsa.VerifyData(data, signature, Hash, Algorithm.StartsWith("PS", StringComparison.Ordinal) ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1)
        : _ecdsa!.VerifyData(data, signature, Hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

    /// <summary>The public key as a JWK JSON object (<c>kty</c>, <c>use</c>, <c>alg</c>, <c>kid</c>, <c>n</c>/<c>e</c> or <c>crv</c>/<c>x</c>/<c>y</c>).</summary>
    public string ToPublicJwkJson()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WritePublicJwk(writer);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    public void Dispose()
    {
        _rsa?.Dispose();
        _ecdsa?.Dispose();
    }

    internal void WritePublicJwk(Utf8JsonWriter writer, string use = "sig")
    {
        writer.WriteStartObject();
        writer.WriteString("kty", KeyType);
        writer.WriteString("use", use);
        writer.WriteString("alg", Algorithm);
        writer.WriteString("kid", KeyId);
        if (_rsa is not null)
        {
            var parameters = _rsa.ExportParameters(includePrivateParameters: false);
            writer.WriteString("n", Base64Url.EncodeToString(parameters.Modulus));
            writer.WriteString("e", Base64Url.EncodeToString(parameters.Exponent));
        }
        else
        {
            var parameters = _ecdsa!.ExportParameters(includePrivateParameters: false);
            writer.WriteString("crv", Curve);
            writer.WriteString("x", Base64Url.EncodeToString(parameters.Q.X));
            writer.WriteString("y", Base64Url.EncodeToString(parameters.Q.Y));
        }

        writer.WriteEndObject();
    }

    private HashAlgorithmName Hash => Algorithm[2..] switch
    {
        "384" => HashAlgorithmName.SHA384,
        "512" => HashAlgorithmName.SHA512,
        _ => HashAlgorithmName.SHA256,
    };
}
