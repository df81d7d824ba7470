namespace BuildKitController.Operator.Pools;

/// <summary>Pool controller log messages (event ids 2100–2199).</summary>
internal static partial class PoolLog
{
    [LoggerMessage(2100, LogLevel.Information, "Created the root CA Secret {Namespace}/{Name}")]
    public static partial void RootCaCreated(ILogger logger, string @namespace, string name);

    [LoggerMessage(2101, LogLevel.Error, "The root CA Secret {Namespace}/{Name} is unusable and will not be replaced: {Problem}")]
    public static partial void RootCaInvalid(ILogger logger, string @namespace, string name, string problem);

    [LoggerMessage(2102, LogLevel.Information, "Pool {Namespace}/{Pool}: issued {Certificate} certificate (serial {Serial}, valid until {NotAfter:O})")]
    public static partial void CertificateIssued(ILogger logger, string @namespace, string pool, string certificate, string serial, DateTimeOffset notAfter);

    [LoggerMessage(2103, LogLevel.Information, "Pool {Namespace}/{Pool}: created worker {Worker}")]
    public static partial void WorkerCreated(ILogger logger, string @namespace, string pool, string worker);

    [LoggerMessage(2104, LogLevel.Information, "Pool {Namespace}/{Pool}: deleting worker {Worker} ({Reason})")]
    public static partial void WorkerDeleted(ILogger logger, string @namespace, string pool, string worker, string reason);

    [LoggerMessage(2105, LogLevel.Warning, "Pool {Namespace}/{Pool} is invalid: {Errors}")]
    public static partial void PoolInvalid(ILogger logger, string @namespace, string pool, string errors);

    [LoggerMessage(2106, LogLevel.Error, "Pool {Namespace}/{Pool}: the pool CA Secret is unusable and will not be replaced: {Problem}")]
    public static partial void PoolCaInvalid(ILogger logger, string @namespace, string pool, string problem);

    [LoggerMessage(2107, LogLevel.Information, "Pool {Namespace}/{Pool} deleted: removed its workers and owned objects")]
    public static partial void PoolFinalized(ILogger logger, string @namespace, string pool);
}
