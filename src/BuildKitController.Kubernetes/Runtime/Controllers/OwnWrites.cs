using System.Collections.Concurrent;
using BuildKitController.Kubernetes.Runtime.Informers;

namespace BuildKitController.Kubernetes.Runtime.Controllers;

/// <summary>
/// Remembers which cached version of an object each of this process's recent writes was based on. A reconcile that
/// runs before the watch has delivered such a write still sees that version in its cache; writing again from it
/// would be refused (409, stale resourceVersion) or repeat a change already made, and the write's own watch event
/// brings the object back to the reconciler anyway. So while <see cref="IsCacheBehind"/> holds, the reconciler skips
/// the write. The entry ends as soon as the cache shows any other version (the write, or a later change).
/// </summary>
public sealed class OwnWrites
{
    private readonly ConcurrentDictionary<ObjectKey, string> _basedOn = new();

    /// <summary>
    /// Records a successful update of <paramref name="key"/> computed from the cached <paramref name="basedOnVersion"/>
    /// that the server stored as <paramref name="writtenVersion"/>. Not recorded: a write the server found to change
    /// nothing (same version, no watch event, nothing to wait for), and a write that created the object
    /// (<paramref name="basedOnVersion"/> null): an absent object has no version to tell "not seen yet" from "deleted
    /// again since", so creations are never skipped.
    /// </summary>
    public void Wrote(ObjectKey key, string? basedOnVersion, string? writtenVersion)
    {
        if (basedOnVersion is null || writtenVersion == basedOnVersion)
        {
            _basedOn.TryRemove(key, out _);
            return;
        }

        _basedOn[key] = basedOnVersion;
    }

    /// <summary>True while the cache still holds the version this process's last write of <paramref name="key"/> was based on.</summary>
    public bool IsCacheBehind(ObjectKey key, string? cachedVersion)
    {
        if (!_basedOn.TryGetValue(key, out var basedOn))
        {
            return false;
        }

        if (basedOn == cachedVersion)
        {
            return true;
        }

        _basedOn.TryRemove(KeyValuePair.Create(key, basedOn));
        return false;
    }

    public void Forget(ObjectKey key) => _basedOn.TryRemove(key, out _);
}
