namespace BuildKitController.Operator.Hosting;

/// <summary>Log messages of the controller process host (event ids 2000–2099).</summary>
internal static partial class OperatorLog
{
    [LoggerMessage(EventId = 2000, Level = LogLevel.Information, Message = "buildkit-controller {Version} starting: namespace {Namespace}, watching {WatchScope}, leader election {LeaderElection}")]
    public static partial void Starting(ILogger logger, string? version, string @namespace, string watchScope, bool leaderElection);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Serving {Server} on {Address}")]
    public static partial void Serving(ILogger logger, string server, Uri? address);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "The {Server} server is disabled")]
    public static partial void ServerDisabled(ILogger logger, string server);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Information, Message = "Campaigning for leadership: Lease {Namespace}/{Lease}, identity {Identity}")]
    public static partial void Campaigning(ILogger logger, string @namespace, string lease, string identity);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Information, Message = "Starting controllers: {Controllers}")]
    public static partial void StartingControllers(ILogger logger, string controllers);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Information, Message = "Controllers stopped")]
    public static partial void ControllersStopped(ILogger logger);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Error, Message = "Controller {Controller} failed; stopping the others")]
    public static partial void ControllerFailed(ILogger logger, Exception exception, string controller);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Error, Message = "Controller {Controller} stopped without being asked to; stopping the others")]
    public static partial void ControllerStoppedEarly(ILogger logger, string controller);

    [LoggerMessage(EventId = 2008, Level = LogLevel.Warning, Message = "Controllers {Controllers} did not stop within {Timeout}; exiting anyway")]
    public static partial void ShutdownTimedOut(ILogger logger, string controllers, TimeSpan timeout);

    [LoggerMessage(EventId = 2009, Level = LogLevel.Error, Message = "Leadership of Lease {Lease} lost; exiting so that the process restarts as a standby")]
    public static partial void LeadershipLost(ILogger logger, string lease);

    [LoggerMessage(EventId = 2010, Level = LogLevel.Information, Message = "Shutting down")]
    public static partial void ShuttingDown(ILogger logger);

    [LoggerMessage(EventId = 2011, Level = LogLevel.Information, Message = "Stopped")]
    public static partial void Stopped(ILogger logger);

    [LoggerMessage(EventId = 2012, Level = LogLevel.Critical, Message = "Fatal: {Reason}")]
    public static partial void Fatal(ILogger logger, string reason);

    [LoggerMessage(EventId = 2013, Level = LogLevel.Critical, Message = "Fatal error")]
    public static partial void FatalException(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2014, Level = LogLevel.Warning, Message = "Stopping the {Server} server failed")]
    public static partial void ServerStopFailed(ILogger logger, Exception exception, string server);

    [LoggerMessage(EventId = 2015, Level = LogLevel.Information, Message = "Received {Signal}; shutting down gracefully (again to exit at once)")]
    public static partial void SignalReceived(ILogger logger, string signal);

    [LoggerMessage(EventId = 2016, Level = LogLevel.Information, Message = "Caches filled and queues drained after {Reason}: compacted the heap from {BeforeMegabytes} MB to {AfterMegabytes} MB committed in {Milliseconds} ms")]
    public static partial void HeapCompacted(ILogger logger, string reason, long beforeMegabytes, long afterMegabytes, long milliseconds);

    [LoggerMessage(2090, LogLevel.Critical, "INSECURE DEV MODE: the allocation API treats every request as the admin 'dev-user' without authentication. Never run this in a shared or production cluster.")]
    public static partial void InsecureDevMode(ILogger logger);
}
