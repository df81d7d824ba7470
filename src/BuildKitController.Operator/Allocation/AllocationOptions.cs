namespace BuildKitController.Operator.Allocation;

/// <summary>Limits of the allocation service.</summary>
internal sealed record AllocationOptions
{
    /// <summary>Requests that may wait for a worker per pool (beyond it: 503 with Retry-After).</summary>
    public int QueueCapacityPerPool { get; init; } = 256;

    /// <summary>How long an allocation may wait for its worker to become ready (a cold start with a cluster autoscaler takes minutes).</summary>
    public TimeSpan ReadyTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Retry-After suggested when the queue is full.</summary>
    public TimeSpan QueueFullRetryAfter { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Maximum length of <c>jobId</c>, metadata keys and values.</summary>
    public int MaxFieldLength { get; init; } = 256;

    /// <summary>Maximum number of metadata entries.</summary>
    public int MaxMetadataEntries { get; init; } = 32;
}
