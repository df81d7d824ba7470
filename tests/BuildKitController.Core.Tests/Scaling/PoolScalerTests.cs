using BuildKitController.Core.Api.V1Alpha1;
using BuildKitController.Core.Scaling;

namespace BuildKitController.Core.Tests.Scaling;

public sealed class PoolScalerTests
{
    private static readonly DateTimeOffset Now = new(2026, 5, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Delay = TimeSpan.FromMinutes(15);
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(10);

    private static ScalingPolicy Policy(int min, int max, bool scaledDown = false) => new(min, max, Delay, Patience, scaledDown);

    private static WorkerSnapshot Idle(string name, TimeSpan idleFor) =>
        new(name, WorkerPhases.Idle, Allocated: false, Deleting: false, CreatedAt: Now - idleFor - TimeSpan.FromMinutes(1), IdleSince: Now - idleFor);

    private static WorkerSnapshot Allocated(string name, string phase = WorkerPhases.Allocated) =>
        new(name, phase, Allocated: true, Deleting: false, CreatedAt: Now - TimeSpan.FromHours(1));

    private static WorkerSnapshot Starting(string name, TimeSpan age, string phase = WorkerPhases.Provisioning) =>
        new(name, phase, Allocated: false, Deleting: false, CreatedAt: Now - age);

    [Fact]
    public void An_empty_pool_with_min_two_creates_two()
    {
        var plan = PoolScaler.Plan(Policy(2, 10), [], Now);

        Assert.Equal(2, plan.ToCreate);
        Assert.Empty(plan.ToDelete);
        Assert.Equal(new WorkerCounts(0, 0, 0, 0, 0, 0, 2, 2), plan.Counts);
    }

    [Fact]
    public void Min_idle_is_kept_in_addition_to_allocated_workers()
    {
        var plan = PoolScaler.Plan(Policy(1, 10), [Allocated("a1"), Allocated("a2")], Now);

        Assert.Equal(1, plan.ToCreate);
        Assert.Equal(3, plan.Counts.Desired);
    }

    [Fact]
    public void Creation_never_exceeds_max_counting_deleting_workers()
    {
        var deleting = Idle("d", TimeSpan.Zero) with { Deleting = true };
        var plan = PoolScaler.Plan(Policy(5, 3), [Allocated("a"), deleting], Now);

        Assert.Equal(1, plan.ToCreate);
    }

    [Fact]
    public void Workers_not_yet_seen_by_the_worker_reconciler_count_as_starting()
    {
        var fresh = Starting("new", TimeSpan.FromSeconds(1), phase: "");

        var plan = PoolScaler.Plan(Policy(1, 10), [fresh], Now);

        Assert.Equal(0, plan.ToCreate);
        Assert.Equal(1, plan.Counts.Provisioning);
    }

    [Fact]
    public void An_allocated_worker_is_never_trimmed_even_with_an_idle_phase()
    {
        // Allocation is written to spec before the worker reconciler flips the phase.
        var justAllocated = new WorkerSnapshot("w", WorkerPhases.Idle, Allocated: true, Deleting: false, Now - TimeSpan.FromHours(2), Now - TimeSpan.FromHours(2));

        var plan = PoolScaler.Plan(Policy(0, 10), [justAllocated], Now);

        Assert.Empty(plan.ToDelete);
        Assert.Equal(1, plan.Counts.Allocated);
    }

    [Fact]
    public void Idle_workers_above_min_go_after_the_delay_oldest_first()
    {
        var workers = new[] { Idle("young", TimeSpan.FromMinutes(1)), Idle("old", TimeSpan.FromMinutes(30)), Idle("older", TimeSpan.FromMinutes(60)) };

        var plan = PoolScaler.Plan(Policy(1, 10), workers, Now);

        Assert.Equal(["older", "old"], plan.ToDelete.Select(r => r.Name));
        Assert.All(plan.ToDelete, r => Assert.Equal(RemovalReasons.ScaleDown, r.Reason));
        Assert.Equal(0, plan.ToCreate);
    }

    [Fact]
    public void Idle_workers_younger_than_the_delay_stay_and_a_recheck_is_scheduled()
    {
        var plan = PoolScaler.Plan(Policy(0, 10), [Idle("w", TimeSpan.FromMinutes(5))], Now);

        Assert.Empty(plan.ToDelete);
        Assert.Equal(TimeSpan.FromMinutes(10), plan.RecheckAfter);
    }

    [Fact]
    public void Min_zero_scales_to_zero_after_the_delay()
    {
        var plan = PoolScaler.Plan(Policy(0, 10), [Idle("w", Delay)], Now);

        Assert.Equal("w", Assert.Single(plan.ToDelete).Name);
    }

    [Fact]
    public void The_schedule_window_removes_all_idle_workers_at_once_but_not_allocated_ones()
    {
        var plan = PoolScaler.Plan(Policy(3, 10, scaledDown: true), [Idle("i1", TimeSpan.Zero), Idle("i2", TimeSpan.Zero), Allocated("a")], Now);

        Assert.Equal(["i1", "i2"], plan.ToDelete.Select(r => r.Name).Order());
        Assert.All(plan.ToDelete, r => Assert.Equal(RemovalReasons.Schedule, r.Reason));
        Assert.Equal(0, plan.ToCreate);
    }

    [Fact]
    public void Failed_workers_are_removed_and_replaced_within_max()
    {
        var failed = new WorkerSnapshot("f", WorkerPhases.Failed, Allocated: false, Deleting: false, Now - TimeSpan.FromMinutes(3));

        var plan = PoolScaler.Plan(Policy(1, 2), [failed], Now);

        Assert.Equal(new WorkerRemoval("f", RemovalReasons.Failed), Assert.Single(plan.ToDelete));
        Assert.Equal(1, plan.ToCreate);
        Assert.Equal(1, plan.Counts.Failed);
    }

    [Fact]
    public void A_failed_allocated_worker_is_removed()
    {
        var plan = PoolScaler.Plan(Policy(0, 2), [Allocated("a", WorkerPhases.Failed)], Now);

        Assert.Equal("a", Assert.Single(plan.ToDelete).Name);
        Assert.Equal(0, plan.Counts.Allocated);
    }

    [Fact]
    public void A_worker_not_ready_after_the_patience_is_replaced_but_not_before()
    {
        var patient = PoolScaler.Plan(Policy(1, 5), [Starting("s", TimeSpan.FromMinutes(4))], Now);
        Assert.Empty(patient.ToDelete);
        Assert.Equal(0, patient.ToCreate);
        Assert.Equal(TimeSpan.FromMinutes(6), patient.RecheckAfter);

        var stuck = PoolScaler.Plan(Policy(1, 5), [Starting("s", Patience)], Now);
        Assert.Equal(new WorkerRemoval("s", RemovalReasons.Stuck), Assert.Single(stuck.ToDelete));
        Assert.Equal(1, stuck.ToCreate);
    }

    [Fact]
    public void A_worker_the_worker_reconciler_has_not_reached_yet_is_never_stuck()
    {
        var backlog = PoolScaler.Plan(Policy(1, 5), [Starting("s", Patience * 3, phase: "")], Now);
        Assert.Empty(backlog.ToDelete);
        Assert.Equal(0, backlog.ToCreate);
    }

    [Fact]
    public void At_max_nothing_is_created_even_when_below_min()
    {
        var plan = PoolScaler.Plan(Policy(2, 2), [Allocated("a"), Allocated("b")], Now);

        Assert.Equal(0, plan.ToCreate);
        Assert.Equal(2, plan.Counts.Desired);
        Assert.Equal(0, plan.Counts.Needed);
    }

    [Fact]
    public void Status_counts_follow_upstream_definitions()
    {
        var workers = new[]
        {
            Idle("i", TimeSpan.Zero),
            Allocated("a"),
            Starting("p", TimeSpan.FromMinutes(1)),
            new WorkerSnapshot("f", WorkerPhases.Failed, false, false, Now),
        };

        var plan = PoolScaler.Plan(Policy(2, 10), workers, Now);

        Assert.Equal(new WorkerCounts(Total: 4, Ready: 2, Idle: 1, Allocated: 1, Provisioning: 1, Failed: 1, Desired: 3, Needed: 0), plan.Counts);
    }
}
