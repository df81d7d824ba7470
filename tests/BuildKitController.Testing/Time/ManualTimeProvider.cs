namespace BuildKitController.Testing.Time;

/// <summary>
/// A <see cref="TimeProvider"/> whose clock only moves when a test says so. <see cref="Advance"/> fires every
/// timer that falls due, in due-time order, on the calling thread, so code that waits on timers, delays or
/// timed cancellation can be tested without sleeping.
/// </summary>
public sealed class ManualTimeProvider : TimeProvider
{
    private readonly Lock _lock = new();
    private readonly List<ManualTimer> _timers = [];
    private readonly List<(int Count, TaskCompletionSource Signal)> _timerWaiters = [];
    private DateTimeOffset _utcNow;
    private long _sequence;

    /// <summary>Starts the clock at 2025-01-01T00:00:00Z.</summary>
    public ManualTimeProvider()
        : this(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero))
    {
    }

    /// <summary>Starts the clock at <paramref name="start"/>.</summary>
    public ManualTimeProvider(DateTimeOffset start) => _utcNow = start.ToUniversalTime();

    /// <summary>The current time; setting it moves the clock forward and fires due timers.</summary>
    public DateTimeOffset UtcNow
    {
        get => GetUtcNow();
        set => SetUtcNow(value);
    }

    /// <summary>Timers that are created, not disposed and still scheduled.</summary>
    public int ActiveTimerCount
    {
        get
        {
            lock (_lock)
            {
                return _timers.Count(t => t.DueAt is not null);
            }
        }
    }

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock)
        {
            return _utcNow;
        }
    }

    public override long GetTimestamp()
    {
        lock (_lock)
        {
            return _utcNow.UtcTicks;
        }
    }

    /// <summary>Moves the clock to <paramref name="value"/>, which must not be in the past.</summary>
    public void SetUtcNow(DateTimeOffset value)
    {
        var delta = value - GetUtcNow();
        if (delta < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(value), "the clock of a ManualTimeProvider cannot go back");
        }

        Advance(delta);
    }

    /// <summary>Moves the clock forward by <paramref name="delta"/>, firing each timer as its due time is reached.</summary>
    public void Advance(TimeSpan delta)
    {
        if (delta < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(delta), "the clock of a ManualTimeProvider cannot go back");
        }

        DateTimeOffset target;
        lock (_lock)
        {
            target = _utcNow + delta;
        }

        while (true)
        {
            ManualTimer? next;
            lock (_lock)
            {
                next = null;
                foreach (var timer in _timers)
                {
                    if (timer.DueAt is { } due && due <= target
                        && (next is null || due < next.DueAt || (due == next.DueAt && timer.Order < next.Order)))
                    {
                        next = timer;
                    }
                }

                if (next is null)
                {
                    _utcNow = target;
                    return;
                }

                if (next.DueAt > _utcNow)
                {
                    _utcNow = next.DueAt.Value;
                }

                next.Reschedule(_utcNow, NextOrder());
            }

            next.Fire();
        }
    }

    /// <summary>Completes when at least <paramref name="count"/> timers are scheduled (lets a test advance only after the code under test armed its timer).</summary>
    public Task WaitForTimersAsync(int count, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_timers.Count(t => t.DueAt is not null) >= count)
            {
                return Task.CompletedTask;
            }

            var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _timerWaiters.Add((count, signal));
            return signal.Task.WaitAsync(cancellationToken);
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new ManualTimer(this, callback, state);
        lock (_lock)
        {
            _timers.Add(timer);
        }

        timer.Change(dueTime, period);
        return timer;
    }

    internal void Schedule(ManualTimer timer, TimeSpan dueTime, TimeSpan period)
    {
        lock (_lock)
        {
            if (!_timers.Contains(timer))
            {
                return;
            }

            timer.Set(dueTime == Timeout.InfiniteTimeSpan ? null : _utcNow + dueTime, period, NextOrder());
            NotifyWaiters();
        }
    }

    internal void Remove(ManualTimer timer)
    {
        lock (_lock)
        {
            _timers.Remove(timer);
        }
    }

    private long NextOrder() => ++_sequence;

    private void NotifyWaiters()
    {
        var active = _timers.Count(t => t.DueAt is not null);
        for (var i = _timerWaiters.Count - 1; i >= 0; i--)
        {
            if (active >= _timerWaiters[i].Count)
            {
                _timerWaiters[i].Signal.TrySetResult();
                _timerWaiters.RemoveAt(i);
            }
        }
    }
}
