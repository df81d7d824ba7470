namespace BuildKitController.Operator.Hosting;

/// <summary>
/// Liveness and readiness of the controller process.
/// <list type="bullet">
/// <item><c>/healthz</c> is 200 while the process loop runs (it only fails once the loop has ended).</item>
/// <item><c>/readyz</c> is 200 when the controllers of the current run have synced their informer caches. With
/// leader election a standby (not leading) is ready too: it can take over at any moment, and a Deployment rollout
/// must not stall waiting for standbys that will never lead until the old leader goes. While stopping it is 503,
/// so the pod leaves Service endpoints before it exits.</item>
/// </list>
/// </summary>
internal sealed class OperatorHealth(bool leaderElection)
{
    private volatile IReadOnlyList<IManagedController>? _controllers;
    private volatile IReadOnlyList<IManagedController> _services = [];
    private volatile bool _stopping;
    private volatile bool _stopped;

    /// <summary>The controllers of a new run (leadership term) were created.</summary>
    public void BeginTerm(IReadOnlyList<IManagedController> controllers) => _controllers = controllers;

    /// <summary>The controllers of the run have stopped.</summary>
    public void EndTerm() => _controllers = null;

    /// <summary>Components that run for the whole process (the allocation API): ready only once they are synced too.</summary>
    public void SetServices(IReadOnlyList<IManagedController> services) => _services = services;

    /// <summary>Shutdown has begun.</summary>
    public void Stopping() => _stopping = true;

    /// <summary>The process loop has ended.</summary>
    public void Stopped()
    {
        _stopping = true;
        _stopped = true;
    }

    public ProbeResult Liveness() => _stopped ? new ProbeResult(false, "stopped") : new ProbeResult(true, "ok");

    public ProbeResult Readiness()
    {
        if (_stopping)
        {
            return new ProbeResult(false, "shutting down");
        }

        var services = _services.Where(c => !c.HasSynced).Select(c => c.Name).ToList();
        if (services.Count > 0)
        {
            return new ProbeResult(false, $"informer caches not synced: {string.Join(", ", services)}");
        }

        var controllers = _controllers;
        if (controllers is null)
        {
            return leaderElection
                ? new ProbeResult(true, "ok: standby, not leading")
                : new ProbeResult(false, "controllers are starting");
        }

        var waiting = controllers.Where(c => !c.HasSynced).Select(c => c.Name).ToList();
        return waiting.Count == 0
            ? new ProbeResult(true, "ok")
            : new ProbeResult(false, $"informer caches not synced: {string.Join(", ", waiting)}");
    }
}
