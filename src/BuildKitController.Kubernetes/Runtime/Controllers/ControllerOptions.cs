namespace BuildKitController.Kubernetes.Runtime.Controllers;

/// <summary>Settings of one controller loop.</summary>
public sealed record ControllerOptions
{
    /// <summary>Keys reconciled in parallel; one key is never reconciled twice at once.</summary>
    public int MaxConcurrentReconciles { get; init; } = 1;

    /// <summary>A reconcile that takes longer is cancelled and retried with backoff.</summary>
    public TimeSpan ReconcileTimeout { get; init; } = TimeSpan.FromMinutes(2);
}
