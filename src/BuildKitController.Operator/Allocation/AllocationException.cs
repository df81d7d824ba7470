namespace BuildKitController.Operator.Allocation;

/// <summary>A request the allocation API cannot serve, with the HTTP status, the stable error code and a safe message.</summary>
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

    public static AllocationException Unauthorized(string message) => new(401, "unauthenticated", message);

    public static AllocationException Forbid(string message) => new(403, Forbidden, message);

    public static AllocationException Missing(string code, string message) => new(404, code, message);
}
