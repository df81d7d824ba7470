using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using BuildKitController.Kubernetes.Client;
using BuildKitController.Kubernetes.Models;
using BuildKitController.Kubernetes.Runtime.Informers;

namespace BuildKitController.Operator.Pools;

/// <summary>
/// Server-side applies owned objects under the one field manager, but only when something could differ: each applied
/// object carries a hash of what we asked for (<see cref="HashAnnotation"/>), and the resourceVersion the apply
/// returned is remembered. An object whose hash matches and which nobody has touched since is left alone, so a
/// restarted controller converges 1,000 pools without rewriting them, while a spec change (new hash) or a foreign
/// edit (new resourceVersion) is re-applied, which reverts drift in the fields we own.
/// </summary>
internal sealed class OwnedObjectApplier(KubernetesClient client)
{
    public const string FieldManager = "buildkit-controller";
    public const string HashAnnotation = "buildkit.smrt-devops.net/applied-hash";

    private readonly ConcurrentDictionary<(string Resource, ObjectKey Key), string> _versions = new();

    /// <summary>Applies <paramref name="desired"/> unless <paramref name="current"/> already reflects it; true when a request was made.</summary>
    public async Task<bool> ApplyAsync<T>(T desired, T? current, CancellationToken cancellationToken)
        where T : class, IKubernetesResource<T>
    {
        ArgumentNullException.ThrowIfNull(desired);
        var hash = Hash(desired);
        desired.Metadata.Annotations = new Dictionary<string, string>(desired.Metadata.Annotations ?? [], StringComparer.Ordinal) { [HashAnnotation] = hash };
        var slot = (T.Resource.Plural, ObjectKey.Of(desired));
        if (current is not null && current.Metadata.Annotations?.GetValueOrDefault(HashAnnotation) == hash && current.Metadata.DeletionTimestamp is null)
        {
            var version = current.Metadata.ResourceVersion ?? "";
            if (!_versions.TryGetValue(slot, out var known) || known == version)
            {
                _versions[slot] = version;
                return false;
            }
        }

        var applied = await client.For<T>().ApplyAsync(desired, new ApplyOptions(FieldManager), cancellationToken);
        _versions[slot] = applied.Metadata.ResourceVersion ?? "";
        return true;
    }

    /// <summary>Forgets what was applied for objects in <paramref name="ns"/> named in <paramref name="names"/> (after deletion).</summary>
    public void Forget(string ns, IEnumerable<string> names)
    {
        var set = names.ToHashSet(StringComparer.Ordinal);
        foreach (var slot in _versions.Keys.Where(k => k.Key.Namespace == ns && set.Contains(k.Key.Name)))
        {
            _versions.TryRemove(slot, out _);
        }
    }

    private static string Hash<T>(T value)
        where T : class, IKubernetesResource<T>
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(value, T.JsonTypeInfo);
        return Convert.ToHexStringLower(SHA256.HashData(bytes))[..32];
    }
}
