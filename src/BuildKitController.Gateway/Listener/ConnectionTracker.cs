using System.Collections.Concurrent;
using BuildKitController.Gateway.Proxy;

namespace BuildKitController.Gateway.Listener;

/// <summary>
/// Open client connections: the count the connection cap applies to (handshakes included), and the proxied
/// sessions, which the sweep checks against the idle timeout and lifetime and a drain waits for.
/// </summary>
internal sealed class ConnectionTracker(int limit)
{
    private readonly ConcurrentDictionary<long, ProxySession> _sessions = new();
    private readonly Lock _lock = new();
    private TaskCompletionSource _empty = CompletedSource();
    private int _open;
    private long _nextId;

    /// <summary>Client connections open (handshaking or proxied).</summary>
    public int Open => Volatile.Read(ref _open);

    public int Sessions => _sessions.Count;

    public bool TryEnter()
    {
        lock (_lock)
        {
            if (_open >= limit)
            {
                return false;
            }

            if (_open++ == 0)
            {
                _empty = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            return true;
        }
    }

    public void Exit()
    {
        TaskCompletionSource? empty = null;
        lock (_lock)
        {
            if (--_open == 0)
            {
                empty = _empty;
            }
        }

        empty?.TrySetResult();
    }

    /// <summary>Completes when no client connection is open.</summary>
    public Task WhenEmptyAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return _empty.Task.WaitAsync(cancellationToken);
        }
    }

    public long Add(ProxySession session)
    {
        var id = Interlocked.Increment(ref _nextId);
        _sessions[id] = session;
        return id;
    }

    public void Remove(long id) => _sessions.TryRemove(id, out _);

    public IEnumerable<ProxySession> All => _sessions.Values;

    private static TaskCompletionSource CompletedSource()
    {
        var source = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        source.SetResult();
        return source;
    }
}
