namespace BuildKitController.Kubernetes.Http;

/// <summary>
/// Client-side request throttle (client-go's flowcontrol token bucket): <c>burst</c> tokens, refilled at
/// <c>qps</c>. A caller that finds the bucket empty reserves the next token and waits for it.
/// </summary>
internal sealed class TokenBucketRateLimiter(double queriesPerSecond, int burst, TimeProvider timeProvider)
{
    private readonly Lock _lock = new();
    private double _tokens = Math.Max(1, burst);
    private long _lastRefill = timeProvider.GetTimestamp();

    public bool Enabled => queriesPerSecond > 0;

    public ValueTask WaitAsync(CancellationToken cancellationToken)
    {
        if (!Enabled)
        {
            return ValueTask.CompletedTask;
        }

        TimeSpan delay;
        lock (_lock)
        {
            var now = timeProvider.GetTimestamp();
            var elapsed = timeProvider.GetElapsedTime(_lastRefill, now);
            _lastRefill = now;
            _tokens = Math.Min(Math.Max(1, burst), _tokens + (elapsed.TotalSeconds * queriesPerSecond));
            _tokens -= 1;
            if (_tokens >= 0)
            {
                return ValueTask.CompletedTask;
            }

            delay = TimeSpan.FromSeconds(-_tokens / queriesPerSecond);
        }

        return new ValueTask(Task.Delay(delay, timeProvider, cancellationToken));
    }
}
