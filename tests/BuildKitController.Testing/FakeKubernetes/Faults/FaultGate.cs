namespace BuildKitController.Testing.FakeKubernetes;

/// <summary>
/// Holds matching requests until the test calls <see cref="Release"/>. <see cref="WaitForHeldAsync"/> tells the test
/// when a request is parked, so ordering is deterministic without sleeps.
/// </summary>
public sealed class FaultGate
{
    private readonly Lock _lock = new();
    private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<(int Count, TaskCompletionSource Signal)> _waiters = [];
    private int _held;

    internal FaultGate()
    {
    }

    /// <summary>How many requests have reached the gate so far.</summary>
    public int HeldCount
    {
        get
        {
            lock (_lock)
            {
                return _held;
            }
        }
    }

    public bool IsReleased => _open.Task.IsCompleted;

    /// <summary>Completes once at least <paramref name="count"/> requests have reached the gate.</summary>
    public Task WaitForHeldAsync(int count, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_held >= count)
            {
                return Task.CompletedTask;
            }

            var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, signal));
            return signal.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Lets every held request (and every later one) through.</summary>
    public void Release() => _open.TrySetResult();

    internal Task EnterAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _held++;
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_held >= _waiters[i].Count)
                {
                    _waiters[i].Signal.TrySetResult();
                    _waiters.RemoveAt(i);
                }
            }
        }

        return _open.Task.WaitAsync(cancellationToken);
    }
}
