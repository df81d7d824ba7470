using System.Globalization;

namespace BuildKitController.Core.Scaling;

/// <summary>
/// Worker names are slots: <c>&lt;pool&gt;-worker-&lt;n&gt;</c> with <c>n</c> in <c>[0, max)</c>. Every creator (the pool
/// reconciler keeping the warm pool, the allocation API creating on demand, any controller replica) takes the lowest
/// free slot and creates it by name, so the API server's AlreadyExists makes <c>max</c> hold across concurrent
/// creators without any coordination. A worker being deleted keeps its slot until it is gone.
/// </summary>
public static class WorkerSlots
{
    public static string Name(string pool, int slot) => string.Create(CultureInfo.InvariantCulture, $"{pool}-worker-{slot}");

    /// <summary>Free slot names in ascending order, given the names of the pool's existing workers.</summary>
    public static IEnumerable<string> Free(string pool, int max, IEnumerable<string> existing)
    {
        ArgumentNullException.ThrowIfNull(existing);
        var taken = existing.ToHashSet(StringComparer.Ordinal);
        for (var slot = 0; slot < max; slot++)
        {
            var name = Name(pool, slot);
            if (!taken.Contains(name))
            {
                yield return name;
            }
        }
    }
}
