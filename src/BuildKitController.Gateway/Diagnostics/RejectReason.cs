namespace BuildKitController.Gateway.Diagnostics;

/// <summary>Why a client connection was not proxied (label <c>reason</c> of <c>buildkit_gateway_rejections_total</c>).</summary>
internal enum RejectReason
{
    /// <summary>The open-connection cap was reached.</summary>
    ConnectionLimit,

    /// <summary>Closed before sending a byte (a TCP probe, a port scan).</summary>
    ClosedBeforeTls,

    /// <summary>The first bytes are not a TLS handshake.</summary>
    NonTls,

    /// <summary>A PROXY protocol header was expected and missing or malformed.</summary>
    ProxyProtocol,

    /// <summary>The handshake did not complete within the handshake timeout.</summary>
    HandshakeTimeout,

    /// <summary>TLS failed for another reason (protocol, cipher, peer abort).</summary>
    HandshakeFailed,

    /// <summary>The client sent no certificate.</summary>
    NoCertificate,

    /// <summary>The certificate does not chain to this pool's client CA, is expired, or is not for client authentication.</summary>
    UntrustedCertificate,

    /// <summary>The certificate carries no allocation token.</summary>
    NoToken,

    /// <summary>No worker of this pool holds the allocation (unknown or released).</summary>
    UnknownAllocation,

    /// <summary>The allocation expired.</summary>
    Expired,

    /// <summary>The allocation belongs to a worker of another pool.</summary>
    OtherPool,

    /// <summary>The allocated worker is not ready (no pod IP, failing, terminating).</summary>
    WorkerNotReady,

    /// <summary>The worker could not be reached or its TLS failed.</summary>
    WorkerConnectFailed,

    /// <summary>The gateway has no usable worker client certificate.</summary>
    NoWorkerTls,

    /// <summary>The gateway is shutting down.</summary>
    Draining,
}
