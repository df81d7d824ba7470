using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using BuildKitController.Core.Api.V1Alpha1;
using BuildKitController.Core.Api.V1Alpha1.Defaulting;

namespace BuildKitController.Operator.Informers;

/// <summary>
/// The defaulted form of each cached pool. Defaulting deep-copies the pool (a JSON round trip); the reconcilers and
/// the allocation path need it on every pass and request. Two levels:
/// <list type="bullet">
/// <item>per cached instance: a cached pool is never changed (an update replaces the instance), so the result stays
/// valid for as long as the instance lives, and it is collected with it;</item>
/// <item>per pool uid and <c>metadata.generation</c>: defaulting depends only on the spec (and the name), and the
/// generation moves with every spec change, so a new instance that only carries a new status (written after most
/// allocations) reuses the defaulted spec and costs one shallow copy.</item>
/// </list>
/// Callers must treat the result as read-only: its spec is shared between instances. The pool reconciler calls
/// <see cref="Forget"/> when a pool is finalized, so the per-uid level does not grow with every pool ever deleted.
/// </summary>
internal static class DefaultedPools
{
    private static readonly ConditionalWeakTable<BuildKitPool, Entry> Results = new();
    private static readonly ConcurrentDictionary<string, SpecEntry> Specs = new(StringComparer.Ordinal);

    public static BuildKitPool Get(BuildKitPool pool, PoolDefaultingOptions? defaults)
    {
        ArgumentNullException.ThrowIfNull(pool);
        if (Results.TryGetValue(pool, out var known) && ReferenceEquals(known.Defaults, defaults))
        {
            return known.Pool;
        }

        BuildKitPool defaulted;
        var (uid, generation) = (pool.Metadata.Uid, pool.Metadata.Generation);
        if (uid is { Length: > 0 } && generation is { } g
            && Specs.TryGetValue(uid, out var spec) && spec.Generation == g && spec.Name == pool.Metadata.Name && ReferenceEquals(spec.Defaults, defaults))
        {
            defaulted = pool with { Spec = spec.Spec };
        }
        else
        {
            defaulted = BuildKitPoolDefaulter.Apply(pool, defaults);
            if (uid is { Length: > 0 } && generation is { } current)
            {
                Specs[uid] = new SpecEntry(current, pool.Metadata.Name, defaults, defaulted.Spec);
            }
        }

        Results.AddOrUpdate(pool, new Entry(defaults, defaulted));
        return defaulted;
    }

    /// <summary>Drops the defaulted spec kept for a pool uid (the pool is gone).</summary>
    public static bool Forget(string? uid) => uid is { Length: > 0 } && Specs.TryRemove(uid, out _);

    /// <summary>Whether a defaulted spec is kept for the pool uid.</summary>
    public static bool Holds(string uid) => Specs.ContainsKey(uid);

    private sealed record Entry(PoolDefaultingOptions? Defaults, BuildKitPool Pool);

    private sealed record SpecEntry(long Generation, string? Name, PoolDefaultingOptions? Defaults, BuildKitPoolSpec Spec);
}
