using System.Net;

namespace BuildKitController.Gateway.Diagnostics;

/// <summary>The gateway's log messages (event ids 3000–3199). Allocation tokens are never logged.</summary>
internal static partial class GatewayLog
{
    [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "buildkit-gateway {Version} starting for pool {Namespace}/{Pool}")]
    public static partial void Starting(ILogger logger, string? version, string @namespace, string pool);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Listening for mTLS clients on {EndPoint} (PROXY protocol v2: {ProxyProtocol})")]
    public static partial void Listening(ILogger logger, IPEndPoint endPoint, bool proxyProtocol);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Serving /metrics, /healthz and /readyz on {Address}")]
    public static partial void ServingMetrics(ILogger logger, Uri? address);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Information, Message = "Ready: worker cache synced and certificates loaded")]
    public static partial void Ready(ILogger logger);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Information, Message = "Draining: no longer accepting; waiting up to {Timeout} for {Count} open connections")]
    public static partial void Draining(ILogger logger, int count, TimeSpan timeout);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Information, Message = "Drained: every connection ended")]
    public static partial void Drained(ILogger logger);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Warning, Message = "Drain timeout: closing {Count} connections still open")]
    public static partial void DrainTimedOut(ILogger logger, int count);

    [LoggerMessage(EventId = 3007, Level = LogLevel.Information, Message = "Stopped")]
    public static partial void Stopped(ILogger logger);

    [LoggerMessage(EventId = 3008, Level = LogLevel.Information, Message = "Received {Signal}: shutting down gracefully")]
    public static partial void SignalReceived(ILogger logger, string signal);

    [LoggerMessage(EventId = 3009, Level = LogLevel.Critical, Message = "Fatal: {Message}")]
    public static partial void Fatal(ILogger logger, string message);

    [LoggerMessage(EventId = 3010, Level = LogLevel.Debug, Message = "Refused connection from {Remote}: {Reason}")]
    public static partial void Rejected(ILogger logger, EndPoint? remote, string reason);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Debug, Message = "Proxying {Remote} to worker {Worker} at {Endpoint} (ALPN {Protocol})")]
    public static partial void Proxying(ILogger logger, EndPoint? remote, string worker, IPEndPoint endpoint, string protocol);

    [LoggerMessage(EventId = 3012, Level = LogLevel.Debug, Message = "Closed {Remote} to worker {Worker}: {Cause} after {Duration}, {ClientBytes} bytes to the worker, {WorkerBytes} bytes to the client")]
    public static partial void Closed(ILogger logger, EndPoint? remote, string worker, string cause, TimeSpan duration, long clientBytes, long workerBytes);

    [LoggerMessage(EventId = 3013, Level = LogLevel.Warning, Message = "Cannot reach worker {Worker} at {Endpoint}: {Message}")]
    public static partial void WorkerConnectFailed(ILogger logger, string worker, IPEndPoint endpoint, string message);

    [LoggerMessage(EventId = 3014, Level = LogLevel.Error, Message = "Accepting connections failed")]
    public static partial void AcceptFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3015, Level = LogLevel.Error, Message = "Unexpected failure on a client connection from {Remote}")]
    public static partial void ConnectionFailed(ILogger logger, Exception exception, EndPoint? remote);

    [LoggerMessage(EventId = 3020, Level = LogLevel.Information, Message = "Loaded {Bundle} certificate {Subject} (serial {Serial}, valid until {NotAfter:O}) from {Directory}")]
    public static partial void CertificatesLoaded(ILogger logger, string bundle, string subject, string serial, DateTimeOffset notAfter, string directory);

    [LoggerMessage(EventId = 3021, Level = LogLevel.Error, Message = "Cannot load the {Bundle} certificates from {Directory} (keeping the previous ones, if any): {Message}")]
    public static partial void CertificatesFailed(ILogger logger, string bundle, string directory, string message);

    [LoggerMessage(EventId = 3030, Level = LogLevel.Warning, Message = "Cannot write the activity of worker {Worker}: {Message}")]
    public static partial void StatusWriteFailed(ILogger logger, string worker, string message);

    [LoggerMessage(EventId = 3031, Level = LogLevel.Debug, Message = "Worker {Worker}: {Active} active connections, last activity {LastActivity:O}")]
    public static partial void StatusWritten(ILogger logger, string worker, int active, DateTimeOffset lastActivity);

    [LoggerMessage(EventId = 3040, Level = LogLevel.Warning, Message = "OpenSSL record buffers cannot be released on idle connections ({Reason}); connections work as before, idle ones just keep their record buffers")]
    public static partial void ReleaseBuffersUnavailable(ILogger logger, string reason);
}
