namespace BuildKitController.Testing.FakeKubernetes;

/// <summary>What the simulated kubelet does with a new pod.</summary>
public enum PodFate
{
    /// <summary>Scheduled, started and Ready, with a loopback pod IP.</summary>
    Running,

    /// <summary>Stays Pending with <c>PodScheduled=False</c>, reason <c>Unschedulable</c> (no node fits).</summary>
    Unschedulable,

    /// <summary>Stays Pending with no status change (e.g. an image pull that never finishes).</summary>
    Pending,

    /// <summary>Fails at once (<c>phase: Failed</c>).</summary>
    Failed,
}
