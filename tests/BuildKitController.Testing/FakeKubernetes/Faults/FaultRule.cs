namespace BuildKitController.Testing.FakeKubernetes;

/// <summary>An armed fault; shows how often it fired and can be cancelled.</summary>
public sealed class FaultRule
{
    private readonly Lock _lock = new();
    private int _remaining;
    private int _hits;

    internal FaultRule(FaultKind kind, Func<FaultRequest, bool> match, int? count)
    {
        Kind = kind;
        Match = match;
        _remaining = count ?? -1;
    }

    /// <summary>How many requests this rule has affected.</summary>
    public int Hits
    {
        get
        {
            lock (_lock)
            {
                return _hits;
            }
        }
    }

    /// <summary>Requests it will still affect (-1: unlimited, until cancelled).</summary>
    public int Remaining
    {
        get
        {
            lock (_lock)
            {
                return _remaining;
            }
        }
    }

    internal FaultKind Kind { get; }

    internal Func<FaultRequest, bool> Match { get; }

    internal int StatusCode { get; init; }

    internal TimeSpan? RetryAfter { get; init; }

    internal string? Message { get; init; }

    internal TimeSpan Delay { get; init; }

    internal FaultGate? Gate { get; init; }

    /// <summary>Disarms the rule.</summary>
    public void Cancel()
    {
        lock (_lock)
        {
            _remaining = 0;
        }
    }

    /// <summary>Consumes one use when the rule applies to <paramref name="request"/>.</summary>
    internal bool TryConsume(FaultRequest request)
    {
        lock (_lock)
        {
            if (_remaining == 0 || !Match(request))
            {
                return false;
            }

            if (_remaining > 0)
            {
                _remaining--;
            }

            _hits++;
            return true;
        }
    }
}
