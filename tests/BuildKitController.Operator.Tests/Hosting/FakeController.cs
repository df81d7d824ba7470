using BuildKitController.Operator.Hosting;

namespace BuildKitController.Operator.Tests.Hosting;

/// <summary>A controller whose sync state and behaviour the test decides.</summary>
internal sealed class FakeController(string name) : IManagedController
{
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Name => name;

    public bool HasSynced { get; set; }

    /// <summary>Ignore cancellation until this completes (a stuck controller).</summary>
    public Task? IgnoreCancellationUntil { get; init; }

    /// <summary>Throw this once running.</summary>
    public Exception? Failure { get; init; }

    public Task Started => _started.Task;

    public Task Stopped => _stopped.Task;

    public bool WasCancelled { get; private set; }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        _started.TrySetResult();
        try
        {
            if (Failure is not null)
            {
                throw Failure;
            }

            var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using (cancellationToken.Register(() => cancelled.TrySetResult()))
            {
                await cancelled.Task;
            }

            WasCancelled = true;
            if (IgnoreCancellationUntil is not null)
            {
                await IgnoreCancellationUntil;
            }
        }
        finally
        {
            _stopped.TrySetResult();
        }
    }
}
