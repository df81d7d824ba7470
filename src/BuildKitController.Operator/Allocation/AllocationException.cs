namespace BuildKitController.Operator.Allocation;

/// <summary>An allocation request that cannot be served, with the HTTP status and stable error code the API returns.</summary>
internal sealed class AllocationException : Exception
{
    public AllocationException()
    {
        Code = "internal";
    }

    public AllocationException(string message)
        : base(message)
    {
        Code = "internal";
    }

    public AllocationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = "internal";
    }

    public AllocationException(int status, string code, string message, TimeSpan? retryAfter = null)
        : base(message)
    {
        Status = status;
        Code = code;
        RetryAfter = retryAfter;
    }

    public int Status { get; } = 500;

    public string Code { get; }

    public TimeSpan? RetryAfter { get; }
}

/// <summary>Stable error codes of the allocation API.</summary>
internal static class AllocationErrors
{
    public const string InvalidRequest = "invalid_request";
    public const string PoolNotFound = "pool_not_found";
    public const string QueueFull = "queue_full";
    public const string WorkerFailed = "worker_failed";
    public const string Timeout = "allocation_timeout";
    public const string NotReady = "pool_not_ready";
    public const string NotFound = "allocation_not_found";
    public const string Forbidden = "forbidden";
    public const string Conflict = "conflict";

    public static AllocationException BadRequest(string message) => new(400, InvalidRequest, message);
}
