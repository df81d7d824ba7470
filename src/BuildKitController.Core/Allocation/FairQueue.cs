namespace BuildKitController.Core.Allocation;

/// <summary>
/// A bounded waiting line that is FIFO per owner and round-robin across owners: one identity submitting fifty
/// requests does not starve another that submits one. Not thread-safe; the caller serializes access.
/// </summary>
public sealed class FairQueue<T>(int capacity)
    where T : class
{
    private readonly Dictionary<string, Queue<T>> _byOwner = new(StringComparer.Ordinal);
    private readonly LinkedList<string> _turns = new();

    public int Count { get; private set; }

    public int Capacity => capacity;

    /// <summary>Adds <paramref name="item"/> for <paramref name="owner"/>; false when the line is full.</summary>
    public bool TryEnqueue(string owner, T item)
    {
        if (Count >= capacity)
        {
            return false;
        }

        if (!_byOwner.TryGetValue(owner, out var queue))
        {
            queue = new Queue<T>();
            _byOwner[owner] = queue;
            _turns.AddLast(owner);
        }

        queue.Enqueue(item);
        Count++;
        return true;
    }

    /// <summary>The next item in fair order without removing it.</summary>
    public T? Peek() => _turns.First is { } first ? _byOwner[first.Value].Peek() : null;

    /// <summary>Removes the next item in fair order; its owner goes to the back of the turns.</summary>
    public T? Dequeue()
    {
        if (_turns.First is not { } first)
        {
            return null;
        }

        var owner = first.Value;
        var queue = _byOwner[owner];
        var item = queue.Dequeue();
        Count--;
        _turns.RemoveFirst();
        if (queue.Count > 0)
        {
            _turns.AddLast(owner);
        }
        else
        {
            _byOwner.Remove(owner);
        }

        return item;
    }

    /// <summary>Removes <paramref name="item"/> wherever it waits (a caller gave up); false if it is not queued.</summary>
    public bool Remove(string owner, T item)
    {
        if (!_byOwner.TryGetValue(owner, out var queue) || !queue.Contains(item))
        {
            return false;
        }

        var rest = queue.Where(i => !ReferenceEquals(i, item)).ToList();
        queue.Clear();
        foreach (var remaining in rest)
        {
            queue.Enqueue(remaining);
        }

        Count--;
        if (queue.Count == 0)
        {
            _byOwner.Remove(owner);
            _turns.Remove(owner);
        }

        return true;
    }

    /// <summary>Every waiting item (in no particular order).</summary>
    public IEnumerable<T> Items => _byOwner.Values.SelectMany(q => q);

    /// <summary>Zero-based place of <paramref name="item"/> in the fair order, or -1.</summary>
    public int PositionOf(T item)
    {
        // Simulate the round-robin: round r serves the r-th item of every owner still holding one, in turn order.
        var position = 0;
        var queues = _turns.Select(owner => _byOwner[owner].ToList()).ToList();
        for (var round = 0; queues.Count > 0; round++)
        {
            var any = false;
            foreach (var items in queues)
            {
                if (round < items.Count)
                {
                    any = true;
                    if (ReferenceEquals(items[round], item))
                    {
                        return position;
                    }

                    position++;
                }
            }

            if (!any)
            {
                break;
            }
        }

        return -1;
    }
}
