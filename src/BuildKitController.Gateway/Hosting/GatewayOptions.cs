using System.Net;

namespace BuildKitController.Gateway.Hosting;

/// <summary>Everything the gateway process is configured with (flags; see <c>docs/gateway.md</c>).</summary>
internal sealed record GatewayOptions
{
    public const string DefaultServerTlsDirectory = "/etc/gateway/tls";
    public const string DefaultWorkerTlsDirectory = "/etc/gateway/worker-tls";

    /// <summary>The pool this gateway serves.</summary>
    public required string PoolName { get; init; }

    public required string PoolNamespace { get; init; }

    /// <summary>The mTLS listener (<c>--listen-addr</c>, default <c>0.0.0.0:1235</c>).</summary>
    public IPEndPoint ListenEndPoint { get; init; } = new(IPAddress.Any, 1235);

    /// <summary><c>/metrics</c>, <c>/healthz</c>, <c>/readyz</c> (<c>--metrics-addr</c>, default <c>0.0.0.0:9090</c>); null turns them off.</summary>
    public IPEndPoint? MetricsEndPoint { get; init; } = new(IPAddress.Any, 9090);

    /// <summary>Port of buildkitd on the worker pod IP (<c>--worker-port</c>, default 1234).</summary>
    public int WorkerPort { get; init; } = 1234;

    /// <summary><c>tls.crt</c> (server chain), <c>tls.key</c>, <c>ca.crt</c> (the pool client CA, the only trust for clients).</summary>
    public string ServerTlsDirectory { get; init; } = DefaultServerTlsDirectory;

    /// <summary><c>client.crt</c>, <c>client.key</c> (the gateway towards workers), <c>ca.crt</c> (the pool worker CA).</summary>
    public string WorkerTlsDirectory { get; init; } = DefaultWorkerTlsDirectory;

    /// <summary>Kubeconfig path; null: in-cluster service account (or <c>KUBECONFIG</c>).</summary>
    public string? Kubeconfig { get; init; }

    /// <summary>Open client connections (handshaking or proxied) above which new ones are closed at once.</summary>
    public int MaxConnections { get; init; } = 16_384;

    /// <summary>Time a client has for PROXY header and TLS handshake.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>A proxied connection with no byte in either direction for this long is closed.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromHours(1);

    /// <summary>A proxied connection is closed after this long whatever it does (the longest allocation is 24 h).</summary>
    public TimeSpan MaxConnectionLifetime { get; init; } = TimeSpan.FromHours(24);

    /// <summary>TCP connect plus TLS handshake towards the worker.</summary>
    public TimeSpan WorkerConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>On SIGTERM, how long open connections may go on before they are cut (pod grace is 300 s).</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(270);

    /// <summary>How often the mounted certificate directories are checked for a new Secret version.</summary>
    public TimeSpan CertificateReloadInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>At most one status write per worker per interval (activeConnections, lastActivityAt).</summary>
    public TimeSpan ActivityReportInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How often connections are checked against the idle timeout and lifetime.</summary>
    public TimeSpan SweepInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Expect a PROXY protocol v2 header before TLS (behind a load balancer that sends one).</summary>
    public bool ProxyProtocol { get; init; }

    /// <summary>Accepted for compatibility with the Go gateway's arguments; routing never calls the controller.</summary>
    public string? ControllerEndpoint { get; init; }

    /// <summary>Size of the pooled buffers of the byte copy.</summary>
    public int CopyBufferSize { get; init; } = 32 * 1024;

    /// <summary>Set OpenSSL's <c>SSL_MODE_RELEASE_BUFFERS</c> on both TLS hops (<c>--openssl-release-buffers</c>, see <c>Tls/OpenSslBuffers</c>).</summary>
    public bool OpenSslReleaseBuffers { get; init; } = true;

    /// <summary>Offer and choose TLS_AES_128_GCM_SHA256 first on both hops (<c>--prefer-aes128-gcm</c>, off by default, see <c>Tls/CipherSuites</c>).</summary>
    public bool PreferAes128Gcm { get; init; }
}
