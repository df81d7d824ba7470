using BuildKitController.Core.Allocation;
using BuildKitController.Core.Api.V1Alpha1;
using BuildKitController.Kubernetes.Runtime.Controllers;

namespace BuildKitController.Operator.Allocation;

/// <summary>A pool's waiting line, its dispatcher state and its change signal.</summary>
internal sealed class AllocationLine(int capacity)
{
    private readonly Lock _lock = new();
    private readonly FairQueue<AllocationTicket> _queue = new(capacity);
    private bool _dispatching;
    private bool _again;

    public ChangeSignal Signal { get; } = new();

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

    public bool TryEnqueue(AllocationTicket ticket)
    {
        lock (_lock)
        {
            return _queue.TryEnqueue(ticket.Request.Requester, ticket);
        }
    }

    /// <summary>
    /// Workers this replica claimed whose claim the cache has not shown yet: they still look idle there, and trying
    /// them again would only collect 409s. Keyed by worker name, so at most one entry per slot of the pool.
    /// </summary>
    public OwnWrites Claims { get; } = new();

    public int? PositionOf(string allocationIdHash)
    {
        lock (_lock)
        {
            var ticket = _queue.Items.FirstOrDefault(t => t.Request.AllocationIdHash == allocationIdHash);
            return ticket is null ? null : _queue.PositionOf(ticket);
        }
    }

    public AllocationTicket? Peek()
    {
        lock (_lock)
        {
            return _queue.Peek();
        }
    }

    public void Remove(AllocationTicket ticket)
    {
        lock (_lock)
        {
            _queue.Remove(ticket.Request.Requester, ticket);
        }
    }

    public void Grant(AllocationTicket ticket, BuildKitWorker worker)
    {
        lock (_lock)
        {
            if (ReferenceEquals(_queue.Peek(), ticket))
            {
                _queue.Dequeue();
            }
            else
            {
                _queue.Remove(ticket.Request.Requester, ticket);
            }
        }

        ticket.Claimed.TrySetResult(worker);
    }

    public void FailAll(AllocationException error)
    {
        List<AllocationTicket> failed = [];
        lock (_lock)
        {
            while (_queue.Dequeue() is { } ticket)
            {
                failed.Add(ticket);
            }
        }

        foreach (var ticket in failed)
        {
            ticket.Claimed.TrySetException(error);
        }
    }

    public bool TryStartDispatch()
    {
        lock (_lock)
        {
            if (_dispatching)
            {
                _again = true;
                return false;
            }

            _dispatching = true;
            _again = false;
            return true;
        }
    }

    /// <summary>Ends a dispatch round; true when another was requested meanwhile (run again).</summary>
    public bool FinishDispatch()
    {
        lock (_lock)
        {
            if (_again)
            {
                _again = false;
                return true;
            }

            _dispatching = false;
            return false;
        }
    }
}
