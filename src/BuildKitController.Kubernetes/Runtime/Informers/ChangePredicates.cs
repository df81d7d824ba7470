using BuildKitController.Kubernetes.Models;

namespace BuildKitController.Kubernetes.Runtime.Informers;

/// <summary>Filters for <see cref="EnqueueHandler{T}"/> updates.</summary>
public static class ChangePredicates
{
    /// <summary>
    /// True when the update changed anything but the status: the spec (<c>metadata.generation</c>, which the API
    /// server bumps on spec changes when a status subresource exists), the identity, labels, annotations,
    /// finalizers, owner references or deletion. A status-only write (same generation, same metadata) is false; a
    /// resync (the same instance twice) is true, so periodic resyncs still reach the reconciler.
    /// </summary>
    public static bool SpecOrMetadataChanged<T>(T previous, T current)
        where T : IKubernetesObject
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(current);
        if (ReferenceEquals(previous, current))
        {
            return true;
        }

        var (was, now) = (previous.Metadata, current.Metadata);
        return was.Generation != now.Generation
            || was.Uid != now.Uid
            || was.DeletionTimestamp != now.DeletionTimestamp
            || !SameEntries(was.Labels, now.Labels)
            || !SameEntries(was.Annotations, now.Annotations)
            || !(was.Finalizers ?? []).SequenceEqual(now.Finalizers ?? [], StringComparer.Ordinal)
            || !(was.OwnerReferences ?? []).Select(o => o.Uid).SequenceEqual((now.OwnerReferences ?? []).Select(o => o.Uid), StringComparer.Ordinal);
    }

    private static bool SameEntries(Dictionary<string, string>? a, Dictionary<string, string>? b)
    {
        if (ReferenceEquals(a, b))
        {
            return true;
        }

        if ((a?.Count ?? 0) != (b?.Count ?? 0))
        {
            return false;
        }

        if (a is null || b is null)
        {
            return true;
        }

        foreach (var (key, value) in a)
        {
            if (!b.TryGetValue(key, out var other) || !string.Equals(value, other, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
