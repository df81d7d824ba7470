using Microsoft.Extensions.Logging;

namespace BuildKitController.Kubernetes.Runtime.Diagnostics;

/// <summary>Controller-runtime log messages. Event ids 1100–1199; ids never change meaning.</summary>
internal static partial class RuntimeLog
{
    [LoggerMessage(EventId = 1100, Level = LogLevel.Information, Message = "Informer for {Resource} relisting: resourceVersion {ResourceVersion} expired")]
    public static partial void InformerRelisting(ILogger logger, string resource, string? resourceVersion);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "Informer for {Resource} failed; relisting in {Delay}")]
    public static partial void InformerFailed(ILogger logger, Exception exception, string resource, TimeSpan delay);

    [LoggerMessage(EventId = 1110, Level = LogLevel.Warning, Message = "Reconcile of {Key} by {Controller} failed (retry {Retries})")]
    public static partial void ReconcileFailed(ILogger logger, Exception exception, string controller, string key, int retries);

    [LoggerMessage(EventId = 1111, Level = LogLevel.Debug, Message = "Reconcile of {Key} by {Controller} hit a write conflict (the object changed since it was read); retrying (retry {Retries})")]
    public static partial void ReconcileConflict(ILogger logger, string controller, string key, int retries);

    [LoggerMessage(EventId = 1120, Level = LogLevel.Information, Message = "Became leader of {Lease} as {Identity}")]
    public static partial void BecameLeader(ILogger logger, string lease, string identity);

    [LoggerMessage(EventId = 1121, Level = LogLevel.Warning, Message = "Lost leadership of {Lease} ({Identity}); stopping all work")]
    public static partial void LostLeadership(ILogger logger, string lease, string identity);

    [LoggerMessage(EventId = 1122, Level = LogLevel.Debug, Message = "Could not acquire or renew {Lease}: {Reason}")]
    public static partial void LeaseAttemptFailed(ILogger logger, string lease, string reason);

    [LoggerMessage(EventId = 1123, Level = LogLevel.Information, Message = "Released {Lease}")]
    public static partial void LeaseReleased(ILogger logger, string lease);

    [LoggerMessage(EventId = 1130, Level = LogLevel.Debug, Message = "Could not record event {Reason} on {Object}")]
    public static partial void EventRecordFailed(ILogger logger, Exception exception, string reason, string @object);

    [LoggerMessage(EventId = 1131, Level = LogLevel.Warning, Message = "Event queue full; dropped event {Reason} on {Object}")]
    public static partial void EventDropped(ILogger logger, string reason, string @object);
}
