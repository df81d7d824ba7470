using System.Buffers;
using System.Buffers.Text;
using System.Text;
using System.Text.Json;

namespace BuildKitController.Testing.Oidc;

/// <summary>Builds compact JWS tokens by hand (header and payload with <see cref="Utf8JsonWriter"/>, base64url, signature).</summary>
internal static class TestJwtWriter
{
    public static string Write(TestTokenOptions options, TestSigningKey? key, string issuer, TimeProvider time, TimeSpan lifetime)
    {
        var algorithm = options.Algorithm ?? key?.Algorithm ?? "RS256";
        var unsigned = string.Equals(algorithm, "none", StringComparison.OrdinalIgnoreCase);
        var header = Encode(WriteHeader(options, algorithm, unsigned ? null : key));
        var payload = Encode(WritePayload(options, issuer, time, lifetime, subjectSuffix: ""));
        if (unsigned || key is null)
        {
            return $"{header}.{payload}.";
        }

        var signature = key.Sign(Encoding.ASCII.GetBytes($"{header}.{payload}"));
        switch (options.Tampering)
        {
            case TestTokenTampering.FlipSignatureBit:
                signature[^1] ^= 0x01;
                break;
            case TestTokenTampering.ModifyPayload:
                payload = Encode(WritePayload(options, issuer, time, lifetime, subjectSuffix: "-forged"));
                break;
        }

        return $"{header}.{payload}.{Base64Url.EncodeToString(signature)}";
    }

    private static string Encode(ReadOnlySpan<byte> json) => Base64Url.EncodeToString(json);

    private static byte[] WriteHeader(TestTokenOptions options, string algorithm, TestSigningKey? key)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("alg", algorithm);
            if (options.Type is not null)
            {
                writer.WriteString("typ", options.Type);
            }

            var kid = options.KeyId ?? key?.KeyId;
            if (!string.IsNullOrEmpty(kid))
            {
                writer.WriteString("kid", kid);
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static byte[] WritePayload(TestTokenOptions options, string issuer, TimeProvider time, TimeSpan lifetime, string subjectSuffix)
    {
        var claims = options.Claims ?? new Dictionary<string, System.Text.Json.Nodes.JsonNode?>();
        var issuedAt = options.IssuedAt ?? (options.TimeProvider ?? time).GetUtcNow();
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            var iss = options.Issuer ?? issuer;
            if (iss.Length > 0 && !claims.ContainsKey("iss"))
            {
                writer.WriteString("iss", iss);
            }

            if (!claims.ContainsKey("sub") && options.Subject is not null)
            {
                writer.WriteString("sub", options.Subject + subjectSuffix);
            }

            if (!claims.ContainsKey("aud"))
            {
                if (options.Audiences is { } audiences)
                {
                    writer.WriteStartArray("aud");
                    foreach (var audience in audiences)
                    {
                        writer.WriteStringValue(audience);
                    }

                    writer.WriteEndArray();
                }
                else if (options.Audience is not null)
                {
                    writer.WriteString("aud", options.Audience);
                }
            }

            if (!claims.ContainsKey("iat"))
            {
                writer.WriteNumber("iat", issuedAt.ToUnixTimeSeconds());
            }

            if (!options.OmitNotBefore && !claims.ContainsKey("nbf"))
            {
                writer.WriteNumber("nbf", (options.NotBefore ?? issuedAt).ToUnixTimeSeconds());
            }

            if (!options.OmitExpiry && !claims.ContainsKey("exp"))
            {
                writer.WriteNumber("exp", (options.ExpiresAt ?? issuedAt + lifetime).ToUnixTimeSeconds());
            }

            foreach (var (name, value) in claims)
            {
                writer.WritePropertyName(name);
                if (name == "sub" && subjectSuffix.Length > 0 && value?.GetValueKind() == JsonValueKind.String)
                {
                    writer.WriteStringValue(value.GetValue<string>() + subjectSuffix);
                }
                else if (value is null)
                {
                    writer.WriteNullValue();
                }
                else
                {
                    value.WriteTo(writer);
                }
            }

            if (subjectSuffix.Length > 0)
            {
                writer.WriteBoolean("forged", true);
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
