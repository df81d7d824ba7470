using System.Threading.Channels;
using BuildKitController.Testing.FakeKubernetes.Api;
using BuildKitController.Testing.FakeKubernetes.Storage;

namespace BuildKitController.Testing.FakeKubernetes.Controllers;

/// <summary>
/// Base of the fake's built-in controllers: receives every store change in order on one background worker and
/// can report quiescence (every change so far, and every change made in reaction, processed) without sleeping.
/// </summary>
internal abstract class StoreEventProcessor : IAsyncDisposable
{
    private readonly Channel<StoredEvent> _queue = Channel.CreateUnbounded<StoredEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _idleLock = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _worker;
    private int _pending;
    private TaskCompletionSource? _idle;

    protected StoreEventProcessor(ObjectStore store, bool enabled)
    {
        if (enabled)
        {
            store.Observe(Enqueue);
        }

        _worker = Task.Run(() => RunAsync(_stop.Token));
    }

    /// <summary>Completes when every change so far (and every change made in reaction) has been processed.</summary>
    public Task WaitForIdleAsync(CancellationToken cancellationToken)
    {
        lock (_idleLock)
        {
            if (_pending == 0)
            {
                return Task.CompletedTask;
            }

            _idle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _idle.Task.WaitAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _stop.CancelAsync();
        try
        {
            await _worker;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    /// <summary>Handles one change; an <see cref="ApiException"/> (a lost race) is ignored, the next change brings it back.</summary>
    protected abstract void Process(StoredEvent change);

    private void Enqueue(StoredEvent change)
    {
        lock (_idleLock)
        {
            _pending++;
        }

        if (!_queue.Writer.TryWrite(change))
        {
            Done();
        }
    }

    private void Done()
    {
        lock (_idleLock)
        {
            if (--_pending == 0)
            {
                _idle?.TrySetResult();
                _idle = null;
            }
        }
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        await foreach (var change in _queue.Reader.ReadAllAsync(cancellationToken))
        {
            try
            {
                Process(change);
            }
            catch (ApiException)
            {
                // Another writer won a race (conflict, not found): the next event brings the controller back.
            }
            finally
            {
                Done();
            }
        }
    }
}
