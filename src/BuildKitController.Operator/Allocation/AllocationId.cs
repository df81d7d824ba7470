using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;

namespace BuildKitController.Operator.Allocation;

/// <summary>
/// The handle of an asynchronous allocation: 128 random bits plus the time until which it may still be pending,
/// base64url. The cluster records only its SHA-256, on the worker it claims, so any replica can answer a poll; the
/// embedded deadline lets a replica that never saw the request answer "pending" (not "unknown") until then.
/// </summary>
internal static class AllocationId
{
    private const int RandomBytes = 16;

    public static string Create(DateTimeOffset pendingUntil)
    {
        Span<byte> bytes = stackalloc byte[RandomBytes + sizeof(long)];
        RandomNumberGenerator.Fill(bytes[..RandomBytes]);
        BinaryPrimitives.WriteInt64BigEndian(bytes[RandomBytes..], pendingUntil.ToUnixTimeSeconds());
        return Base64Url.EncodeToString(bytes);
    }

    public static string Hash(string id) => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(id)));

    /// <summary>The embedded deadline, or null when <paramref name="id"/> is not an id we could have made.</summary>
    public static DateTimeOffset? PendingUntil(string? id)
    {
        if (id is null || id.Length != 32)
        {
            return null;
        }

        Span<byte> bytes = stackalloc byte[RandomBytes + sizeof(long)];
        if (!Base64Url.TryDecodeFromChars(id, bytes, out var written) || written != bytes.Length)
        {
            return null;
        }

        var seconds = BinaryPrimitives.ReadInt64BigEndian(bytes[RandomBytes..]);
        return seconds is > 0 and < 253402300799 ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;
    }
}
