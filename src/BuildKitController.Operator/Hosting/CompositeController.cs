namespace BuildKitController.Operator.Hosting;

/// <summary>
/// Runs controllers that share informers as one: synced when all are, running until cancelled. If one of them
/// stops on its own (a fault), the others are cancelled too, so the host sees the failure.
/// </summary>
internal sealed class CompositeController(string name, IReadOnlyList<IManagedController> controllers) : IManagedController, IDisposable
{
    public string Name => name;

    public IReadOnlyList<IManagedController> Controllers => controllers;

    public bool HasSynced => controllers.All(c => c.HasSynced);

    public int QueueDepth => controllers.Sum(c => c.QueueDepth);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var running = controllers.Select(c => RunOneAsync(c, stop)).ToList();
        await Task.WhenAll(running);
    }

    public void Dispose()
    {
        foreach (var controller in controllers.OfType<IDisposable>())
        {
            controller.Dispose();
        }
    }

    private static async Task RunOneAsync(IManagedController controller, CancellationTokenSource stop)
    {
        try
        {
            await controller.RunAsync(stop.Token);
        }
        finally
        {
            await stop.CancelAsync();
        }
    }
}
