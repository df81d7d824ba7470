using System.Buffers.Text;
using System.Text;
using System.Text.Json;

namespace BuildKitController.Operator.Auth.Jwt;

/// <summary>
/// A compact JWS (<c>header.payload.signature</c>) split and decoded, <b>not verified</b>: nothing read from it may be
/// trusted before <see cref="OpenIdConnect.OidcTokenVerifier"/> has checked the signature. Header and payload must be JSON
/// objects without duplicate members (a duplicate <c>iss</c> could be read one way here and another way elsewhere).
/// </summary>
internal sealed class JwtToken
{
    private const int MaxJsonDepth = 32;

    private static readonly JsonDocumentOptions JsonOptions = new() { MaxDepth = MaxJsonDepth, AllowDuplicateProperties = false };

    private JwtToken(string algorithm, string? keyId, string? type, bool hasCritical, JsonElement payload, byte[] signingInput, byte[] signature)
    {
        Algorithm = algorithm;
        KeyId = keyId;
        Type = type;
        HasCriticalHeader = hasCritical;
        Payload = payload;
        SigningInput = signingInput;
        Signature = signature;
    }

    /// <summary>The <c>alg</c> header.</summary>
    public string Algorithm { get; }

    /// <summary>The <c>kid</c> header, if a string.</summary>
    public string? KeyId { get; }

    /// <summary>The <c>typ</c> header, if a string.</summary>
    public string? Type { get; }

    /// <summary>The header has <c>crit</c> (extensions this verifier does not understand, so the token must be refused, RFC 7515 §4.1.11).</summary>
    public bool HasCriticalHeader { get; }

    /// <summary>The payload (a JSON object).</summary>
    public JsonElement Payload { get; }

    /// <summary>The ASCII bytes of <c>header.payload</c>, which the signature covers.</summary>
    public byte[] SigningInput { get; }

    /// <summary>The decoded signature (empty for <c>alg: none</c>).</summary>
    public byte[] Signature { get; }

    /// <summary>The unverified <c>iss</c> claim, if a string.</summary>
    public string? Issuer => GetString("iss");

    /// <summary>Splits and decodes <paramref name="token"/>; null when it is not a compact JWS with JSON object header and payload.</summary>
    public static JwtToken? TryParse(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        var first = token.IndexOf('.', StringComparison.Ordinal);
        var second = first < 0 ? -1 : token.IndexOf('.', first + 1);
        if (first <= 0 || second <= first + 1 || token.IndexOf('.', second + 1) >= 0 || !IsBase64Url(token))
        {
            return null;
        }

        var header = Decode(token.AsSpan(0, first));
        var payload = Decode(token.AsSpan(first + 1, second - first - 1));
        var signature = Decode(token.AsSpan(second + 1));
        if (header is null || payload is null || signature is null)
        {
            return null;
        }

        try
        {
            using var headerDocument = JsonDocument.Parse(header, JsonOptions);
            using var payloadDocument = JsonDocument.Parse(payload, JsonOptions);
            var h = headerDocument.RootElement;
            if (h.ValueKind != JsonValueKind.Object || payloadDocument.RootElement.ValueKind != JsonValueKind.Object
                || !h.TryGetProperty("alg", out var alg) || alg.ValueKind != JsonValueKind.String)
            {
                return null;
            }

            return new JwtToken(
                alg.GetString()!,
                StringMember(h, "kid"),
                StringMember(h, "typ"),
                h.TryGetProperty("crit", out _),
                payloadDocument.RootElement.Clone(),
                Encoding.ASCII.GetBytes(token, 0, second),
                signature);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A string claim; null when absent or not a string.</summary>
    public string? GetString(string name) => StringMember(Payload, name);

    /// <summary>Whether the claim exists at all.</summary>
    public bool Has(string name) => Payload.TryGetProperty(name, out _);

    /// <summary>A NumericDate claim (seconds since the epoch, integer or fraction); false when absent or not a number in range.</summary>
    public bool TryGetNumericDate(string name, out DateTimeOffset value)
    {
        value = default;
        if (!Payload.TryGetProperty(name, out var element) || element.ValueKind != JsonValueKind.Number || !element.TryGetDouble(out var seconds)
            || double.IsNaN(seconds) || seconds < 0 || seconds > 253_402_300_799)
        {
            return false;
        }

        value = DateTimeOffset.UnixEpoch.AddSeconds(Math.Floor(seconds));
        return true;
    }

    /// <summary>The <c>aud</c> claim as a list (a string or an array of strings); null when absent or of another shape.</summary>
    public IReadOnlyList<string>? GetAudiences()
    {
        if (!Payload.TryGetProperty("aud", out var aud))
        {
            return null;
        }

        if (aud.ValueKind == JsonValueKind.String)
        {
            return [aud.GetString()!];
        }

        if (aud.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var audiences = new List<string>(aud.GetArrayLength());
        foreach (var item in aud.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                return null;
            }

            audiences.Add(item.GetString()!);
        }

        return audiences;
    }

    private static string? StringMember(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool IsBase64Url(string token)
    {
        foreach (var c in token)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            {
                return false;
            }
        }

        return true;
    }

    private static byte[]? Decode(ReadOnlySpan<char> part)
    {
        try
        {
            return Base64Url.DecodeFromChars(part);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
