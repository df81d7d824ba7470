using Microsoft.Extensions.Logging;

namespace BuildKitController.Kubernetes.Diagnostics;

/// <summary>Client log messages. Event ids 1000–1099 belong to the Kubernetes client and never change meaning.</summary>
internal static partial class KubernetesClientLog
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Debug, Message = "Retrying {Method} {Path} after {Reason} (attempt {Attempt}, waiting {Delay})")]
    public static partial void Retrying(ILogger logger, string method, string path, string reason, int attempt, TimeSpan delay);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "The API server rejected the bearer token; re-reading it")]
    public static partial void RefreshingToken(ILogger logger);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Debug, Message = "Watch {Path} ended ({Reason}); resuming from resourceVersion {ResourceVersion} in {Delay}")]
    public static partial void WatchResuming(ILogger logger, string path, string reason, string? resourceVersion, TimeSpan delay);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "Watch {Path} expired at resourceVersion {ResourceVersion}; the caller must relist")]
    public static partial void WatchExpired(ILogger logger, string path, string? resourceVersion);
}
