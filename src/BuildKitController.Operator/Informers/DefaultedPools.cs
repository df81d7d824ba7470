using System.Runtime.CompilerServices;
using BuildKitController.Core.Api.V1Alpha1;
using BuildKitController.Core.Api.V1Alpha1.Defaulting;

namespace BuildKitController.Operator.Informers;

/// <summary>
/// The defaulted form of each cached pool, computed once per cached instance. Defaulting deep-copies the pool
/// (a JSON round trip); the worker reconciler and the allocation path did that on every reconcile and every request,
/// which was 14 % of the busy CPU of the allocation benchmark. A cached pool is never changed (an update replaces the
/// instance), so the result stays valid for as long as the instance lives, and it is collected with it. Callers
/// must treat the result as read-only.
/// </summary>
internal static class DefaultedPools
{
    private static readonly ConditionalWeakTable<BuildKitPool, Entry> Results = new();

    public static BuildKitPool Get(BuildKitPool pool, PoolDefaultingOptions? defaults)
    {
        ArgumentNullException.ThrowIfNull(pool);
        if (Results.TryGetValue(pool, out var known) && ReferenceEquals(known.Defaults, defaults))
        {
            return known.Pool;
        }

        var defaulted = BuildKitPoolDefaulter.Apply(pool, defaults);
        Results.AddOrUpdate(pool, new Entry(defaults, defaulted));
        return defaulted;
    }

    private sealed record Entry(PoolDefaultingOptions? Defaults, BuildKitPool Pool);
}
