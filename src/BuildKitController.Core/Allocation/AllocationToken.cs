using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace BuildKitController.Core.Allocation;

/// <summary>
/// The secret that binds a client certificate to one allocation: 256 random bits, base64url without padding
/// (43 characters). It travels in the certificate (<c>CN=alloc:&lt;token&gt;</c> and the URI SAN
/// <c>buildkit://allocation/&lt;token&gt;</c>); the cluster only ever stores <see cref="Hash"/>.
/// </summary>
public static class AllocationToken
{
    public const string CommonNamePrefix = "alloc:";
    public const string UriPrefix = "buildkit://allocation/";

    /// <summary>Length of a token we mint.</summary>
    public const int Length = 43;

    /// <summary>Upper bound for tokens we accept (legacy upstream tokens are shorter hex strings).</summary>
    public const int MaxLength = 128;

    public static string Create() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    /// <summary>Lower-case hex SHA-256 of the token: what the BuildKitWorker records and the gateway indexes by.</summary>
    public static string Hash(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
    }

    /// <summary>Whether <paramref name="token"/> could be a token: 16–128 characters of the base64url alphabet.</summary>
    public static bool IsWellFormed(string? token) =>
        token is { Length: >= 16 and <= MaxLength } && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    /// <summary>Constant-time comparison of a presented token's hash with a stored hash.</summary>
    public static bool Matches(string token, string storedHash)
    {
        ArgumentNullException.ThrowIfNull(storedHash);
        var computed = Encoding.ASCII.GetBytes(Hash(token));
        var stored = Encoding.ASCII.GetBytes(storedHash.ToLowerInvariant());
        return CryptographicOperations.FixedTimeEquals(computed, stored);
    }

    /// <summary>The token of a certificate common name <c>alloc:&lt;token&gt;</c>, or null.</summary>
    public static string? FromCommonName(string? commonName) =>
        commonName is not null && commonName.StartsWith(CommonNamePrefix, StringComparison.Ordinal)
        && IsWellFormed(commonName[CommonNamePrefix.Length..])
            ? commonName[CommonNamePrefix.Length..]
            : null;

    /// <summary>The token of a URI SAN <c>buildkit://allocation/&lt;token&gt;</c>, or null.</summary>
    public static string? FromUri(string? uri) =>
        uri is not null && uri.StartsWith(UriPrefix, StringComparison.Ordinal) && IsWellFormed(uri[UriPrefix.Length..])
            ? uri[UriPrefix.Length..]
            : null;
}
