using System.Security.Cryptography;
using System.Text;

namespace BuildKitController.Gateway.Tls;

/// <summary>
/// The files of a mounted Secret, read in one pass: the loader parses exactly the bytes the fingerprint covers, so a
/// Kubernetes <c>..data</c> symlink swap between two reads can at worst produce a set that fails to load (certificate
/// and key of different versions), which is retried, never a silently mixed one.
/// </summary>
internal sealed record PemFiles(string Directory, IReadOnlyDictionary<string, byte[]> Contents, string Fingerprint)
{
    public static PemFiles Read(string directory, IReadOnlyList<string> names)
    {
        var contents = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var name in names)
        {
            var path = Path.Combine(directory, name);
            var bytes = File.Exists(path) ? File.ReadAllBytes(path) : null;
            hash.AppendData(Encoding.UTF8.GetBytes(name));
            hash.AppendData(BitConverter.GetBytes(bytes?.Length ?? -1));
            if (bytes is not null)
            {
                contents[name] = bytes;
                hash.AppendData(bytes);
            }
        }

        return new PemFiles(directory, contents, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    /// <summary>The text of a required file; throws <see cref="InvalidDataException"/> when it is missing or empty.</summary>
    public string Text(string name) =>
        Contents.TryGetValue(name, out var bytes) && bytes.Length > 0
            ? Encoding.ASCII.GetString(bytes)
            : throw new InvalidDataException($"{Path.Combine(Directory, name)} is missing or empty");
}
