namespace BuildKitController.Kubernetes.Runtime.LeaderElection;

/// <summary>Lease-based leader election settings (client-go defaults 15 s / 10 s / 2 s).</summary>
public sealed record LeaderElectionOptions
{
    public required string Namespace { get; init; }

    /// <summary>Lease name, e.g. <c>buildkit-controller.smrt-devops.net</c>.</summary>
    public required string LeaseName { get; init; }

    /// <summary>This instance's identity (pod name plus a random suffix).</summary>
    public required string Identity { get; init; }

    /// <summary>How long a lease holds without renewal before others may take it.</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>The leader gives up if it cannot renew within this long.</summary>
    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Interval between acquire/renew attempts.</summary>
    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>On graceful shutdown, hand the lease back so a successor need not wait for it to expire.</summary>
    public bool ReleaseOnCancel { get; init; } = true;
}
