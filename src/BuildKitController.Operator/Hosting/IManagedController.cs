namespace BuildKitController.Operator.Hosting;

/// <summary>
/// A controller the operator process runs while it leads: it starts its informers, reports when their caches
/// are synced, and reconciles until cancelled (cancellation means leadership was lost or the process stops).
/// </summary>
internal interface IManagedController
{
    /// <summary>Short name for logs and metrics (<c>buildkitpool</c>, <c>buildkitworker</c>, …).</summary>
    string Name { get; }

    /// <summary>True once every informer of the controller has listed.</summary>
    bool HasSynced { get; }

    /// <summary>Keys waiting in the controller's work queues (0 for components without one).</summary>
    int QueueDepth => 0;

    /// <summary>Runs until <paramref name="cancellationToken"/> is cancelled; returns (never throws) on cancellation.</summary>
    Task RunAsync(CancellationToken cancellationToken);
}
