using BuildKitController.Core.Allocation;
using BuildKitController.Core.Api.V1Alpha1;

namespace BuildKitController.Core.Tests.Allocation;

public sealed class AllocationLifetimeTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Grace = TimeSpan.FromMinutes(15);

    private static WorkerAllocation Allocation(TimeSpan allocatedAgo, TimeSpan expiresIn) =>
        new() { JobId = "j", AllocatedAt = Now - allocatedAgo, ExpiresAt = Now + expiresIn };

    private static BuildKitWorkerStatus Status(int connections, TimeSpan? lastActivityAgo = null) =>
        new() { ActiveConnections = connections, LastActivityAt = lastActivityAgo is { } ago ? Now - ago : null };

    [Fact]
    public void A_running_allocation_goes_on_until_its_expiry()
    {
        var verdict = AllocationLifetime.Decide(Allocation(TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(55)), Status(0), idleTimeout: null, Grace, Now);

        Assert.Equal(new AllocationVerdict(AllocationEnd.None, Now + TimeSpan.FromMinutes(55)), verdict);
    }

    [Fact]
    public void An_expired_allocation_ends_at_once_without_live_connections()
    {
        var verdict = AllocationLifetime.Decide(Allocation(TimeSpan.FromHours(1), -TimeSpan.FromSeconds(1)), Status(0), null, Grace, Now);

        Assert.Equal(AllocationEnd.Expired, verdict.End);
    }

    [Fact]
    public void Live_connections_keep_an_expired_allocation_for_the_grace_period_only()
    {
        var expired = Allocation(TimeSpan.FromHours(1), -TimeSpan.FromMinutes(10));

        var during = AllocationLifetime.Decide(expired, Status(3), null, Grace, Now);
        var after = AllocationLifetime.Decide(expired, Status(3), null, Grace, Now + TimeSpan.FromMinutes(5));

        Assert.Equal(new AllocationVerdict(AllocationEnd.None, Now + TimeSpan.FromMinutes(5)), during);
        Assert.Equal(AllocationEnd.Expired, after.End);
    }

    [Fact]
    public void Without_connections_or_traffic_for_the_idle_timeout_an_allocation_ends_as_idle()
    {
        var allocation = Allocation(TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(30));
        var idle = TimeSpan.FromMinutes(10);

        Assert.Equal(AllocationEnd.Idle, AllocationLifetime.Decide(allocation, Status(0, TimeSpan.FromMinutes(11)), idle, Grace, Now).End);
        Assert.Equal(new AllocationVerdict(AllocationEnd.None, Now + TimeSpan.FromMinutes(6)),
            AllocationLifetime.Decide(allocation, Status(0, TimeSpan.FromMinutes(4)), idle, Grace, Now));
    }

    [Fact]
    public void Idle_time_counts_from_the_allocation_when_the_last_activity_is_older()
    {
        // A warm worker's lastActivityAt is when it became ready, long before the allocation.
        var allocation = Allocation(TimeSpan.FromMinutes(3), TimeSpan.FromMinutes(57));

        var verdict = AllocationLifetime.Decide(allocation, Status(0, TimeSpan.FromHours(5)), TimeSpan.FromMinutes(10), Grace, Now);

        Assert.Equal(new AllocationVerdict(AllocationEnd.None, Now + TimeSpan.FromMinutes(7)), verdict);
    }

    [Fact]
    public void Live_connections_are_never_idle_even_when_silent()
    {
        // A long RUN step keeps its connection open without traffic.
        var allocation = Allocation(TimeSpan.FromMinutes(50), TimeSpan.FromMinutes(10));

        var verdict = AllocationLifetime.Decide(allocation, Status(1, TimeSpan.FromMinutes(45)), TimeSpan.FromMinutes(10), Grace, Now);

        Assert.Equal(new AllocationVerdict(AllocationEnd.None, Now + TimeSpan.FromMinutes(10)), verdict);
    }

    [Fact]
    public void Without_an_idle_timeout_only_expiry_ends_an_allocation()
    {
        var allocation = Allocation(TimeSpan.FromHours(5), TimeSpan.FromHours(1));

        Assert.Equal(AllocationEnd.None, AllocationLifetime.Decide(allocation, Status(0, TimeSpan.FromHours(5)), null, Grace, Now).End);
        Assert.Equal(AllocationEnd.None, AllocationLifetime.Decide(allocation, null, TimeSpan.Zero, Grace, Now).End);
    }
}
