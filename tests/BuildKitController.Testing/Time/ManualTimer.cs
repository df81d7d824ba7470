namespace BuildKitController.Testing.Time;

/// <summary>A timer of a <see cref="ManualTimeProvider"/>; its state is guarded by the provider's lock.</summary>
internal sealed class ManualTimer(ManualTimeProvider owner, TimerCallback callback, object? state) : ITimer
{
    private TimeSpan _period = Timeout.InfiniteTimeSpan;
    private bool _disposed;

    /// <summary>When the timer fires next; null when it is not scheduled.</summary>
    public DateTimeOffset? DueAt { get; private set; }

    /// <summary>Tie-breaker between timers due at the same instant: earlier scheduling fires first.</summary>
    public long Order { get; private set; }

    public bool Change(TimeSpan dueTime, TimeSpan period)
    {
        if (_disposed)
        {
            return false;
        }

        if (dueTime < TimeSpan.Zero && dueTime != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(dueTime));
        }

        if (period < TimeSpan.Zero && period != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(period));
        }

        owner.Schedule(this, dueTime, period);
        return true;
    }

    public void Dispose()
    {
        _disposed = true;
        owner.Remove(this);
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    internal void Set(DateTimeOffset? dueAt, TimeSpan period, long order)
    {
        DueAt = dueAt;
        _period = period;
        Order = order;
    }

    internal void Reschedule(DateTimeOffset now, long order)
    {
        DueAt = _period == Timeout.InfiniteTimeSpan || _period == TimeSpan.Zero ? null : now + _period;
        Order = order;
    }

    internal void Fire() => callback(state);
}
