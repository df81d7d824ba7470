namespace BuildKitController.Gateway.Proxy;

/// <summary>The worker hop could not be opened.</summary>
internal sealed class WorkerConnectException : Exception
{
    public WorkerConnectException()
    {
    }

    public WorkerConnectException(string message)
        : base(message)
    {
    }

    public WorkerConnectException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public WorkerConnectException(string message, bool noMaterial, Exception? innerException = null)
        : base(message, innerException) => NoMaterial = noMaterial;

    /// <summary>The gateway has no worker client certificate (not the worker's fault).</summary>
    public bool NoMaterial { get; }
}
