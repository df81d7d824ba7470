namespace BuildKitController.Kubernetes.Runtime.Queue;

/// <summary>
/// A rate-limited, de-duplicating work queue with client-go semantics:
/// <list type="bullet">
/// <item>an item is queued at most once; adding it again while queued is a no-op;</item>
/// <item>an item is handed to one worker at a time; re-added while processing, it is queued again after <see cref="Done"/>;</item>
/// <item><see cref="AddAfter"/> delays an add on the injected <see cref="TimeProvider"/>; <see cref="AddRateLimited"/> delays by the rate limiter;</item>
/// <item><see cref="ShutDown"/> wakes waiting workers, which then see the queue as closed.</item>
/// </list>
/// </summary>
public sealed class WorkQueue<T> : IDisposable
    where T : notnull
{
    private readonly Lock _lock = new();
    private readonly Queue<T> _queue = new();
    private readonly HashSet<T> _dirty = [];
    private readonly HashSet<T> _processing = [];
    private readonly Queue<TaskCompletionSource<(T Item, bool Ok)>> _waiters = new();
    private readonly PriorityQueue<T, long> _delayed = new();
    private readonly Dictionary<T, long> _delayedDue = [];
    private readonly TimeProvider _timeProvider;
    private readonly IWorkQueueRateLimiter<T> _rateLimiter;
    private readonly ITimer _timer;
    private long _timerDue = long.MaxValue;
    private bool _shuttingDown;

    public WorkQueue(TimeProvider timeProvider, IWorkQueueRateLimiter<T>? rateLimiter = null)
    {
        _timeProvider = timeProvider;
        _rateLimiter = rateLimiter ?? DefaultRateLimiters.Controller<T>(timeProvider);
        _timer = timeProvider.CreateTimer(_ => PromoteDue(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Items waiting to be processed (not counting delayed ones).</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>Items waiting for their delay to pass.</summary>
    public int DelayedCount
    {
        get
        {
            lock (_lock)
            {
                return _delayed.Count;
            }
        }
    }

    public bool IsShuttingDown
    {
        get
        {
            lock (_lock)
            {
                return _shuttingDown;
            }
        }
    }

    public void Add(T item)
    {
        lock (_lock)
        {
            AddLocked(item);
        }
    }

    /// <summary>Adds the item once <paramref name="delay"/> has passed; an earlier pending delay for it wins.</summary>
    public void AddAfter(T item, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            Add(item);
            return;
        }

        lock (_lock)
        {
            if (_shuttingDown)
            {
                return;
            }

            var due = _timeProvider.GetTimestamp() + (long)(delay.TotalSeconds * _timeProvider.TimestampFrequency);
            if (_delayedDue.TryGetValue(item, out var existing) && existing <= due)
            {
                return;
            }

            _delayedDue[item] = due;
            _delayed.Enqueue(item, due);
            ArmTimerLocked();
        }
    }

    /// <summary>Adds the item after the rate limiter's delay for it.</summary>
    public void AddRateLimited(T item) => AddAfter(item, _rateLimiter.When(item));

    /// <summary>Clears the item's retry history (call after it was processed successfully).</summary>
    public void Forget(T item) => _rateLimiter.Forget(item);

    public int NumRequeues(T item) => _rateLimiter.NumRequeues(item);

    /// <summary>Waits for the next item. Returns <c>Ok = false</c> once the queue is shut down.</summary>
    public ValueTask<(T Item, bool Ok)> GetAsync(CancellationToken cancellationToken)
    {
        TaskCompletionSource<(T Item, bool Ok)> waiter;
        lock (_lock)
        {
            if (_queue.Count > 0)
            {
                return ValueTask.FromResult((TakeLocked(), true));
            }

            if (_shuttingDown)
            {
                return ValueTask.FromResult((default(T)!, false));
            }

            waiter = new TaskCompletionSource<(T, bool)>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Enqueue(waiter);
        }

        if (!cancellationToken.CanBeCanceled)
        {
            return new ValueTask<(T, bool)>(waiter.Task);
        }

        return WaitAsync(waiter, cancellationToken);
    }

    /// <summary>Marks the item processed; if it was added meanwhile it is queued again.</summary>
    public void Done(T item)
    {
        lock (_lock)
        {
            _processing.Remove(item);
            if (_dirty.Contains(item))
            {
                _queue.Enqueue(item);
                DispatchLocked();
            }
        }
    }

    /// <summary>Stops handing out items; waiting workers return <c>Ok = false</c>. Delayed items are dropped.</summary>
    public void ShutDown()
    {
        List<TaskCompletionSource<(T, bool)>> waiters;
        lock (_lock)
        {
            _shuttingDown = true;
            waiters = [.. _waiters];
            _waiters.Clear();
            _queue.Clear();
            _dirty.Clear();
            _delayed.Clear();
            _delayedDue.Clear();
            _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }

        foreach (var waiter in waiters)
        {
            waiter.TrySetResult((default!, false));
        }
    }

    public void Dispose()
    {
        ShutDown();
        _timer.Dispose();
    }

    private static async ValueTask<(T Item, bool Ok)> WaitAsync(TaskCompletionSource<(T Item, bool Ok)> waiter, CancellationToken cancellationToken)
    {
        await using (cancellationToken.Register(() => waiter.TrySetCanceled(cancellationToken)).ConfigureAwait(false))
        {
            // If an item was handed over first, the cancellation loses and the item is returned normally;
            // if the cancellation wins, DispatchLocked sees TrySetResult fail and keeps the item queued.
            return await waiter.Task.ConfigureAwait(false);
        }
    }

    private void AddLocked(T item)
    {
        if (_shuttingDown || !_dirty.Add(item))
        {
            return;
        }

        if (_processing.Contains(item))
        {
            return;
        }

        _queue.Enqueue(item);
        DispatchLocked();
    }

    private T TakeLocked()
    {
        var item = _queue.Dequeue();
        _processing.Add(item);
        _dirty.Remove(item);
        return item;
    }

    private void DispatchLocked()
    {
        while (_queue.Count > 0 && _waiters.Count > 0)
        {
            var waiter = _waiters.Dequeue();
            var item = TakeLocked();
            if (!waiter.TrySetResult((item, true)))
            {
                // The waiter was cancelled: undo the hand-over.
                _processing.Remove(item);
                _dirty.Add(item);
                var requeue = new Queue<T>([item, .. _queue]);
                _queue.Clear();
                foreach (var queued in requeue)
                {
                    _queue.Enqueue(queued);
                }
            }
        }
    }

    private void PromoteDue()
    {
        lock (_lock)
        {
            _timerDue = long.MaxValue;
            var now = _timeProvider.GetTimestamp();
            while (_delayed.TryPeek(out var item, out var due) && due <= now)
            {
                _delayed.Dequeue();
                if (_delayedDue.TryGetValue(item, out var current) && current == due)
                {
                    _delayedDue.Remove(item);
                    AddLocked(item);
                }
            }

            ArmTimerLocked();
        }
    }

    private void ArmTimerLocked()
    {
        // Drop stale heap entries (superseded by an earlier due time) from the top.
        while (_delayed.TryPeek(out var item, out var due) && (!_delayedDue.TryGetValue(item, out var current) || current != due))
        {
            _delayed.Dequeue();
        }

        if (!_delayed.TryPeek(out _, out var next) || next >= _timerDue)
        {
            return;
        }

        _timerDue = next;
        var wait = _timeProvider.GetElapsedTime(_timeProvider.GetTimestamp(), next);
        _timer.Change(wait < TimeSpan.Zero ? TimeSpan.Zero : wait, Timeout.InfiniteTimeSpan);
    }
}
