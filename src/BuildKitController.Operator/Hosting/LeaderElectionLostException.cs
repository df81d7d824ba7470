namespace BuildKitController.Operator.Hosting;

/// <summary>
/// The Lease was lost while leading. The host has stopped its controllers; the process exits non-zero so that
/// Kubernetes restarts it as a fresh standby (controller-runtime does the same).
/// </summary>
internal sealed class LeaderElectionLostException : Exception
{
    public LeaderElectionLostException()
        : base("leader election lost")
    {
    }

    public LeaderElectionLostException(string message)
        : base(message)
    {
    }

    public LeaderElectionLostException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
