namespace BuildKitController.Gateway.Diagnostics;

/// <summary>Label values of <see cref="RejectReason"/>, and the upstream <c>status</c> label each one counts under.</summary>
internal static class RejectReasons
{
    public static string Label(RejectReason reason) => reason switch
    {
        RejectReason.ConnectionLimit => "connection_limit",
        RejectReason.ClosedBeforeTls => "closed_before_tls",
        RejectReason.NonTls => "non_tls",
        RejectReason.ProxyProtocol => "proxy_protocol",
        RejectReason.HandshakeTimeout => "handshake_timeout",
        RejectReason.HandshakeFailed => "handshake_failed",
        RejectReason.NoCertificate => "no_cert",
        RejectReason.UntrustedCertificate => "untrusted_cert",
        RejectReason.NoToken => "no_token",
        RejectReason.UnknownAllocation => "unknown_allocation",
        RejectReason.Expired => "expired",
        RejectReason.OtherPool => "other_pool",
        RejectReason.WorkerNotReady => "worker_not_ready",
        RejectReason.WorkerConnectFailed => "worker_connect_failed",
        RejectReason.NoWorkerTls => "no_worker_tls",
        RejectReason.Draining => "draining",
        _ => "other",
    };

    /// <summary>
    /// The <c>status</c> of <c>buildkit_gateway_connections_total</c> the Go gateway used for the same outcome, or null
    /// for outcomes it did not count (a connection closed before any byte is probe noise, not a failed handshake).
    /// </summary>
    public static string? UpstreamStatus(RejectReason reason) => reason switch
    {
        RejectReason.ClosedBeforeTls => null,
        RejectReason.NonTls => "non_tls",
        RejectReason.NoCertificate => "no_cert",
        RejectReason.NoToken => "no_token",
        RejectReason.UnknownAllocation or RejectReason.Expired or RejectReason.OtherPool or RejectReason.WorkerNotReady => "lookup_failed",
        RejectReason.WorkerConnectFailed => "worker_connect_failed",
        RejectReason.NoWorkerTls => "no_worker_tls",
        RejectReason.ConnectionLimit => "connection_limit",
        RejectReason.Draining => "draining",
        _ => "handshake_failed",
    };
}
