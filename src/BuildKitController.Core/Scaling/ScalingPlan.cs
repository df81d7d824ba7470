namespace BuildKitController.Core.Scaling;

/// <summary>What the pool reconciler should do now, and the counts it reports in status.</summary>
public sealed record ScalingPlan(
    int ToCreate,
    IReadOnlyList<WorkerRemoval> ToDelete,
    WorkerCounts Counts,
    TimeSpan? RecheckAfter);

/// <summary>A worker to delete and why.</summary>
public sealed record WorkerRemoval(string Name, string Reason);

/// <summary>The <c>status.workers</c> block (upstream semantics: ready = idle + running + allocated, desired = min(min + allocated, max), needed = max(0, desired - (ready + provisioning))).</summary>
public sealed record WorkerCounts(int Total, int Ready, int Idle, int Allocated, int Provisioning, int Failed, int Desired, int Needed);

/// <summary>Reasons recorded on deletions (also used as Event reasons).</summary>
public static class RemovalReasons
{
    public const string Failed = "WorkerFailed";
    public const string Stuck = "WorkerStuck";
    public const string ScaleDown = "IdleScaleDown";
    public const string Schedule = "ScheduledScaleDown";
}
