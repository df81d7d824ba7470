namespace BuildKitController.Testing.FakeKubernetes;

/// <summary>The requests the fake server has answered, in order; tests can inspect or await them.</summary>
public sealed class RequestLog
{
    private readonly Lock _lock = new();
    private readonly List<RequestLogEntry> _entries = [];
    private readonly List<(Func<RequestLogEntry, bool> Match, TaskCompletionSource<RequestLogEntry> Signal)> _waiters = [];

    internal RequestLog()
    {
    }

    public IReadOnlyList<RequestLogEntry> Entries
    {
        get
        {
            lock (_lock)
            {
                return [.. _entries];
            }
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            _entries.Clear();
        }
    }

    /// <summary>Completes with the first logged entry (already logged or future) that matches.</summary>
    public Task<RequestLogEntry> WaitForAsync(Func<RequestLogEntry, bool> match, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_entries.FirstOrDefault(match) is { } existing)
            {
                return Task.FromResult(existing);
            }

            var signal = new TaskCompletionSource<RequestLogEntry>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((match, signal));
            return signal.Task.WaitAsync(cancellationToken);
        }
    }

    internal void Add(RequestLogEntry entry)
    {
        lock (_lock)
        {
            _entries.Add(entry);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Match(entry))
                {
                    _waiters[i].Signal.TrySetResult(entry);
                    _waiters.RemoveAt(i);
                }
            }
        }
    }
}
