using BuildKitController.Core.Scaling;

namespace BuildKitController.Core.Tests.Scaling;

public sealed class WorkerSlotsTests
{
    [Fact]
    public void Free_slots_are_the_lowest_unused_names_below_max()
    {
        Assert.Equal(["ci-worker-1", "ci-worker-3"], WorkerSlots.Free("ci", 4, ["ci-worker-0", "ci-worker-2", "other-worker-1", "ci-worker-9"]));
    }

    [Fact]
    public void A_full_pool_has_no_free_slot()
    {
        Assert.Empty(WorkerSlots.Free("ci", 2, ["ci-worker-0", "ci-worker-1"]));
        Assert.Empty(WorkerSlots.Free("ci", 0, []));
    }
}
