namespace BuildKitController.Kubernetes.Http;

/// <summary>Exponential backoff with full jitter: a random delay in [base·2ⁿ/2, base·2ⁿ], capped.</summary>
internal static class Backoff
{
    public static TimeSpan Compute(int attempt, TimeSpan baseDelay, TimeSpan maxDelay)
    {
        var exponent = Math.Min(attempt, 30);
        var ceiling = Math.Min(maxDelay.TotalMilliseconds, baseDelay.TotalMilliseconds * Math.Pow(2, exponent));

        // Jitter spreads clients that failed together; it is not security-relevant.
#pragma warning disable CA5394
        var jittered = (ceiling / 2) + (Random.Shared.NextDouble() * ceiling / 2);
#pragma warning restore CA5394
        return TimeSpan.FromMilliseconds(jittered);
    }
}
