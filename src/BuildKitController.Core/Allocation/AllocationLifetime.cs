using BuildKitController.Core.Api.V1Alpha1;

namespace BuildKitController.Core.Allocation;

/// <summary>Why an allocation ends without being released.</summary>
public enum AllocationEnd
{
    /// <summary>It goes on.</summary>
    None,

    /// <summary>Its TTL passed (and no connection is live, or the grace period for live ones is over).</summary>
    Expired,

    /// <summary>No gateway connection and no traffic for the pool's idle timeout.</summary>
    Idle,
}

/// <summary>The decision for one allocation, and when to look again if it goes on.</summary>
public readonly record struct AllocationVerdict(AllocationEnd End, DateTimeOffset? RecheckAt);

/// <summary>
/// When an allocation ends on its own, from what the gateway reports on the worker (<c>status.activeConnections</c>,
/// <c>status.lastActivityAt</c>):
/// <list type="bullet">
/// <item>at its expiry, unless connections are live: then a build in progress gets up to the expiry grace period
/// (<see cref="DefaultExpiryGrace"/> in the controller) more, so an expiring allocation never cuts a running build short by a few seconds;</item>
/// <item>when the pool has an idle timeout (its explicit <c>scaling.scaleDownDelay</c>, with the gateway on) and the
/// worker has had no live connection and no traffic for that long since the later of allocation and last activity:
/// allocations a crashed job never released are reclaimed long before their TTL.</item>
/// </list>
/// </summary>
public static class AllocationLifetime
{
    /// <summary>How long live connections may keep an expired allocation alive.</summary>
    public static TimeSpan DefaultExpiryGrace { get; } = TimeSpan.FromMinutes(15);

    public static AllocationVerdict Decide(WorkerAllocation allocation, BuildKitWorkerStatus? status, TimeSpan? idleTimeout, TimeSpan expiryGrace, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(allocation);
        var live = (status?.ActiveConnections ?? 0) > 0;
        if (allocation.ExpiresAt is { } expires && expires <= now)
        {
            var graceEnds = expires + expiryGrace;
            return live && now < graceEnds ? new AllocationVerdict(AllocationEnd.None, graceEnds) : new AllocationVerdict(AllocationEnd.Expired, null);
        }

        var recheck = allocation.ExpiresAt;
        if (idleTimeout is { } idle && idle > TimeSpan.Zero && !live)
        {
            var since = Later(allocation.AllocatedAt, status?.LastActivityAt) ?? now;
            var idleEnds = since + idle;
            if (idleEnds <= now)
            {
                return new AllocationVerdict(AllocationEnd.Idle, null);
            }

            recheck = recheck is { } at && at < idleEnds ? at : idleEnds;
        }

        return new AllocationVerdict(AllocationEnd.None, recheck);
    }

    private static DateTimeOffset? Later(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;
}
