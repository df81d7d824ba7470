namespace BuildKitController.Core.Scaling;

/// <summary>What the scaler needs to know about one worker, read from its BuildKitWorker and Pod.</summary>
/// <param name="Name">Worker name.</param>
/// <param name="Phase">BuildKitWorker <c>status.phase</c>; empty for a worker the worker reconciler has not seen yet.</param>
/// <param name="Allocated">Whether <c>spec.allocation</c> is set (the source of truth, ahead of the phase).</param>
/// <param name="Deleting">Whether a deletionTimestamp is set.</param>
/// <param name="CreatedAt">Creation time of the BuildKitWorker.</param>
/// <param name="IdleSince">When it last became idle (ready, or released); null if never.</param>
/// <param name="ActiveConnections">Live gateway connections reported for it.</param>
/// <param name="Unschedulable">The pod is Pending with PodScheduled=False/Unschedulable.</param>
public sealed record WorkerSnapshot(
    string Name,
    string Phase,
    bool Allocated,
    bool Deleting,
    DateTimeOffset CreatedAt,
    DateTimeOffset? IdleSince = null,
    int ActiveConnections = 0,
    bool Unschedulable = false);
