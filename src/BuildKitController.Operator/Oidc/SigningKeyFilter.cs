using System.Buffers.Text;
using System.Security.Cryptography;

namespace BuildKitController.Operator.Oidc;

/// <summary>
/// Decides whether a JWK can verify ID token signatures: <c>use</c> absent or <c>sig</c>, <c>key_ops</c> absent or
/// with <c>verify</c>, and either RSA (modulus of at least 2048 bits; <c>alg</c> absent, RS* or PS*) or EC on P-256
/// or P-384 (coordinates of the curve's size on the curve; <c>alg</c> absent or the curve's ES*). The key material
/// is imported once to prove it is well formed.
/// </summary>
internal static class SigningKeyFilter
{
    public const int MinimumRsaBits = 2048;

    private static readonly string[] RsaAlgorithms = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512"];

    /// <summary>The keys of <paramref name="keys"/> that can verify signatures.</summary>
    public static IReadOnlyList<JsonWebKey> Usable(JsonWebKeySet keys) =>
        [.. (keys.Keys ?? []).Where(k => k is not null && IsUsable(k, out _))];

    /// <summary>Whether <paramref name="key"/> can verify signatures; otherwise <paramref name="problem"/> says why not.</summary>
    public static bool IsUsable(JsonWebKey key, out string problem)
    {
        ArgumentNullException.ThrowIfNull(key);
        problem = Check(key) ?? "";
        return problem.Length == 0;
    }

    private static string? Check(JsonWebKey key)
    {
        if (key.Use is not null && key.Use != "sig")
        {
            return $"use is \"{key.Use}\", not sig";
        }

        if (key.KeyOperations is { } operations && !operations.Contains("verify"))
        {
            return "key_ops does not allow verify";
        }

        return key.KeyType switch
        {
            "RSA" => CheckRsa(key),
            "EC" => CheckEc(key),
            null => "kty is missing",
            _ => $"unsupported kty \"{key.KeyType}\"",
        };
    }

    private static string? CheckRsa(JsonWebKey key)
    {
        if (key.Algorithm is not null && !RsaAlgorithms.Contains(key.Algorithm))
        {
            return $"alg \"{key.Algorithm}\" does not fit an RSA key";
        }

        if (Decode(key.Modulus) is not { Length: > 0 } modulus || Decode(key.Exponent) is not { Length: > 0 } exponent)
        {
            return "n or e is missing or not base64url";
        }

        var leadingZeros = modulus.TakeWhile(b => b == 0).Count();
        var bits = (modulus.Length - leadingZeros) * 8;
        if (bits < MinimumRsaBits)
        {
            return $"RSA modulus of about {bits} bits is shorter than {MinimumRsaBits}";
        }

        try
        {
            using var rsa = RSA.Create(new RSAParameters { Modulus = modulus[leadingZeros..], Exponent = exponent });
            return null;
        }
        catch (CryptographicException)
        {
            return "RSA parameters are not a valid public key";
        }
    }

    private static string? CheckEc(JsonWebKey key)
    {
        var (curve, size, algorithm) = key.Curve switch
        {
            "P-256" => (ECCurve.NamedCurves.nistP256, 32, "ES256"),
            "P-384" => (ECCurve.NamedCurves.nistP384, 48, "ES384"),
            _ => (default(ECCurve), 0, ""),
        };
        if (size == 0)
        {
            return key.Curve is null ? "crv is missing" : $"unsupported curve \"{key.Curve}\"";
        }

        if (key.Algorithm is not null && key.Algorithm != algorithm)
        {
            return $"alg \"{key.Algorithm}\" does not fit curve {key.Curve}";
        }

        if (Decode(key.X) is not { } x || Decode(key.Y) is not { } y || x.Length != size || y.Length != size)
        {
            return $"x or y is missing or not {size} bytes";
        }

        try
        {
            using var ecdsa = ECDsa.Create(new ECParameters { Curve = curve, Q = new ECPoint { X = x, Y = y } });
            return null;
        }
        catch (CryptographicException)
        {
            return $"x and y are not a point on {key.Curve}";
        }
    }

    private static byte[]? Decode(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        try
        {
            return Base64Url.DecodeFromChars(value);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
