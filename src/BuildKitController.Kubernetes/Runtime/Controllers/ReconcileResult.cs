namespace BuildKitController.Kubernetes.Runtime.Controllers;

/// <summary>What a reconcile asks for next. Errors are thrown, not returned; they are retried with backoff.</summary>
public readonly record struct ReconcileResult(bool Requeue = false, TimeSpan? RequeueAfter = null)
{
    /// <summary>Converged: nothing to do until something changes.</summary>
    public static ReconcileResult Done => default;

    /// <summary>Come back <paramref name="delay"/> after the reconcile started (a timer, e.g. an expiry), without counting as a failure.</summary>
    public static ReconcileResult After(TimeSpan delay) => new(RequeueAfter: delay);

    /// <summary>Come back soon, rate limited (e.g. waiting for a dependent object).</summary>
    public static ReconcileResult Again => new(Requeue: true);
}
