namespace BuildKitController.Testing.FakeKubernetes;

/// <summary>
/// Fault injection for the fake API server: failing, delaying, holding or cutting matching requests,
/// dropping watch streams and compacting history. Predicates see a <see cref="FaultRequest"/>; null matches all.
/// </summary>
public sealed class FaultInjector
{
    private readonly Lock _lock = new();
    private readonly List<FaultRule> _rules = [];
    private readonly Func<int> _dropWatches;
    private readonly Action _compact;

    internal FaultInjector(Func<int> dropWatches, Action compact)
    {
        _dropWatches = dropWatches;
        _compact = compact;
    }

    /// <summary>
    /// Fails the next <paramref name="count"/> matching requests with <paramref name="statusCode"/> and a Status body
    /// worded like the real server's (429 and 503 carry <c>Retry-After</c> and <c>details.retryAfterSeconds</c> when given).
    /// </summary>
    public FaultRule FailNext(int count, int statusCode, Func<FaultRequest, bool>? when = null, TimeSpan? retryAfter = null, string? message = null) =>
        Add(new FaultRule(FaultKind.Fail, when ?? All, count) { StatusCode = statusCode, RetryAfter = retryAfter, Message = message });

    /// <summary>Closes the connection of the next <paramref name="count"/> matching requests without any response.</summary>
    public FaultRule CloseConnectionNext(int count, Func<FaultRequest, bool>? when = null) =>
        Add(new FaultRule(FaultKind.CloseConnection, when ?? All, count));

    /// <summary>Delays matching requests by <paramref name="delay"/> on the server's <see cref="TimeProvider"/> (all of them, or the next <paramref name="count"/>).</summary>
    public FaultRule Delay(TimeSpan delay, Func<FaultRequest, bool>? when = null, int? count = null) =>
        Add(new FaultRule(FaultKind.Delay, when ?? All, count) { Delay = delay });

    /// <summary>Parks matching requests behind a gate until the test releases it.</summary>
    public FaultGate Hold(Func<FaultRequest, bool>? when = null, int? count = null)
    {
        var gate = new FaultGate();
        Add(new FaultRule(FaultKind.Hold, when ?? All, count) { Gate = gate });
        return gate;
    }

    /// <summary>Aborts every open watch connection mid-stream; returns how many were open.</summary>
    public int DropWatches() => _dropWatches();

    /// <summary>Drops the event history: watches and continue tokens from older resourceVersions get 410.</summary>
    public void CompactHistory() => _compact();

    /// <summary>Disarms every rule.</summary>
    public void Clear()
    {
        lock (_lock)
        {
            foreach (var rule in _rules)
            {
                rule.Cancel();
            }

            _rules.Clear();
        }
    }

    /// <summary>The rules that apply to <paramref name="request"/>, each consumed once: holds and delays first, then at most one failure.</summary>
    internal IReadOnlyList<FaultRule> Evaluate(FaultRequest request)
    {
        lock (_lock)
        {
            var result = new List<FaultRule>();
            foreach (var rule in _rules.Where(r => r.Kind is FaultKind.Hold or FaultKind.Delay))
            {
                if (rule.TryConsume(request))
                {
                    result.Add(rule);
                }
            }

            foreach (var rule in _rules.Where(r => r.Kind is FaultKind.Fail or FaultKind.CloseConnection))
            {
                if (rule.TryConsume(request))
                {
                    result.Add(rule);
                    break;
                }
            }

            _rules.RemoveAll(r => r.Remaining == 0);
            return result;
        }
    }

    private FaultRule Add(FaultRule rule)
    {
        lock (_lock)
        {
            _rules.Add(rule);
        }

        return rule;
    }

    private static bool All(FaultRequest request) => true;
}
