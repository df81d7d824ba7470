namespace BuildKitController.Gateway.Activity;

/// <summary>
/// Live connection count and last byte time of one worker, updated lock-free from the copy loops and read by the
/// <see cref="ActivityReporter"/>. <see cref="LastActivityTicks"/> is UTC ticks of the last byte (or open/close).
/// </summary>
internal sealed class WorkerActivity(string ns, string name)
{
    private int _active;
    private long _lastActivityTicks;

    public string Namespace { get; } = ns;

    public string Name { get; } = name;

    public int Active => Volatile.Read(ref _active);

    public long LastActivityTicks => Volatile.Read(ref _lastActivityTicks);

    /// <summary>What was last written to the worker's status (reporter only).</summary>
    internal (int Active, long LastActivitySeconds)? Reported { get; set; }

    public void Enter(DateTimeOffset now)
    {
        Interlocked.Increment(ref _active);
        Touch(now.UtcTicks);
    }

    public void Exit(DateTimeOffset now)
    {
        Interlocked.Decrement(ref _active);
        Touch(now.UtcTicks);
    }

    /// <summary>Records activity; concurrent callers may interleave, the value only moves forward.</summary>
    public void Touch(long utcTicks)
    {
        var seen = Volatile.Read(ref _lastActivityTicks);
        while (utcTicks > seen)
        {
            var previous = Interlocked.CompareExchange(ref _lastActivityTicks, utcTicks, seen);
            if (previous == seen)
            {
                return;
            }

            seen = previous;
        }
    }
}
