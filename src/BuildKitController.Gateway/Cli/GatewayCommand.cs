using System.CommandLine;
using BuildKitController.Core.Time;
using BuildKitController.Gateway.Diagnostics;
using BuildKitController.Gateway.Hosting;
using BuildKitController.Hosting.Lifetime;
using BuildKitController.Hosting.Logging;
using BuildKitController.Kubernetes.Client;
using BuildKitController.Kubernetes.Configuration;

namespace BuildKitController.Gateway.Cli;

/// <summary>
/// <c>buildkit-gateway [flags]</c>. The flags the controller passes (<c>--pool-name</c>, <c>--pool-namespace</c>,
/// <c>--listen-addr</c>, <c>--controller-endpoint</c>, <c>--metrics-addr</c>, <c>--log-level</c>,
/// <c>--log-format</c>) keep the Go gateway's names; the rest have production defaults. Invalid flags exit 2, fatal
/// errors 1, a drained shutdown 0.
/// </summary>
internal static class GatewayCommand
{
    public const int UsageError = 2;

    public static RootCommand Create()
    {
        var flags = new Flags();
        var root = new RootCommand("buildkit-gateway: the per-pool mTLS gateway that routes allocation certificates to their BuildKit workers.");
        flags.AddTo(root);
        root.SetAction((parse, cancellationToken) => RunAsync(parse, flags, cancellationToken));
        return root;
    }

    /// <summary>Parses arguments into options, or the reasons they are invalid (tests).</summary>
    internal static (GatewayOptions? Options, LogLevel Level, bool Json, IReadOnlyList<string> Errors) Parse(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        var root = new RootCommand();
        var flags = new Flags();
        flags.AddTo(root);
        var parse = root.Parse(args);
        return parse.Errors.Count > 0 ? (null, LogLevel.Information, false, [.. parse.Errors.Select(e => e.Message)]) : Bind(parse, flags, environment);
    }

    private static async Task<int> RunAsync(ParseResult parse, Flags flags, CancellationToken cancellationToken)
    {
        var (options, level, json, errors) = Bind(parse, flags, Environment.GetEnvironmentVariable);
        if (options is null)
        {
            foreach (var message in errors)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"error: {message}").ConfigureAwait(false);
            }

            await parse.InvocationConfiguration.Error.WriteLineAsync("Run 'buildkit-gateway --help' for usage.").ConfigureAwait(false);
            return UsageError;
        }

        using var loggers = ConsoleLogging.Create(level, json);
        var logger = loggers.CreateLogger("gateway");
        using var shutdown = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var signals = new ShutdownSignals(shutdown, signal => GatewayLog.SignalReceived(logger, signal));
        try
        {
            var configuration = KubernetesClientConfiguration.Load(options.Kubeconfig);
            using var client = new KubernetesClient(configuration, logger: loggers.CreateLogger<KubernetesClient>());
            await using var host = new GatewayHost(options, client, loggers);
            await host.RunAsync(shutdown.Token).ConfigureAwait(false);
            return 0;
        }
        catch (KubernetesConfigurationException ex)
        {
            GatewayLog.Fatal(logger, ex.Message);
            return UsageError;
        }
        catch (System.Net.Sockets.SocketException ex)
        {
            GatewayLog.Fatal(logger, ex.Message);
            return 1;
        }
    }

    private static (GatewayOptions? Options, LogLevel Level, bool Json, IReadOnlyList<string> Errors) Bind(ParseResult parse, Flags flags, Func<string, string?> environment)
    {
        var errors = new List<string>();
        var defaults = new GatewayOptions { PoolName = "", PoolNamespace = "" };
        var pool = parse.GetValue(flags.PoolName) ?? environment("POOL_NAME") ?? "";
        var ns = parse.GetValue(flags.PoolNamespace) ?? environment("POD_NAMESPACE") ?? "";
        if (pool.Length == 0)
        {
            errors.Add("--pool-name is required");
        }

        if (ns.Length == 0)
        {
            errors.Add("--pool-namespace (or POD_NAMESPACE) is required");
        }

        var listen = Address(parse.GetValue(flags.ListenAddr), flags.ListenAddr.Name, errors);
        var metricsText = parse.GetValue(flags.MetricsAddr);
        var metrics = metricsText == "0" ? null : Address(metricsText, flags.MetricsAddr.Name, errors);
        var workerPort = parse.GetValue(flags.WorkerPort);
        if (workerPort is < 1 or > 65535)
        {
            errors.Add($"{flags.WorkerPort.Name} must be 1 to 65535");
        }

        var maxConnections = parse.GetValue(flags.MaxConnections);
        if (maxConnections < 1)
        {
            errors.Add($"{flags.MaxConnections.Name} must be at least 1");
        }

        var bufferSize = parse.GetValue(flags.CopyBufferSize);
        if (bufferSize is < 4096 or > 1 << 20)
        {
            errors.Add($"{flags.CopyBufferSize.Name} must be 4096 to 1048576 bytes");
        }

        var level = LevelOf(parse.GetValue(flags.LogLevel), errors);
        var format = parse.GetValue(flags.LogFormat)?.ToLowerInvariant();
        if (format is not ("text" or "json" or "console"))
        {
            errors.Add($"{flags.LogFormat.Name} \"{format}\" is not one of text, json");
        }

        var options = new GatewayOptions
        {
            PoolName = pool,
            PoolNamespace = ns,
            ListenEndPoint = listen ?? defaults.ListenEndPoint,
            MetricsEndPoint = metrics,
            WorkerPort = workerPort,
            ServerTlsDirectory = parse.GetValue(flags.TlsDir) ?? defaults.ServerTlsDirectory,
            WorkerTlsDirectory = parse.GetValue(flags.WorkerTlsDir) ?? defaults.WorkerTlsDirectory,
            Kubeconfig = parse.GetValue(flags.Kubeconfig) is { Length: > 0 } k ? k : null,
            MaxConnections = maxConnections,
            HandshakeTimeout = Duration(parse, flags.HandshakeTimeout, errors),
            IdleTimeout = Duration(parse, flags.IdleTimeout, errors),
            MaxConnectionLifetime = Duration(parse, flags.MaxConnectionLifetime, errors),
            WorkerConnectTimeout = Duration(parse, flags.WorkerConnectTimeout, errors),
            DrainTimeout = Duration(parse, flags.DrainTimeout, errors, allowZero: true),
            CertificateReloadInterval = Duration(parse, flags.CertReloadInterval, errors),
            ActivityReportInterval = Duration(parse, flags.ActivityReportInterval, errors),
            ProxyProtocol = parse.GetValue(flags.ProxyProtocol),
            CopyBufferSize = bufferSize,
            OpenSslReleaseBuffers = parse.GetValue(flags.OpenSslReleaseBuffers),
            PreferAes128Gcm = parse.GetValue(flags.PreferAes128Gcm),
            ControllerEndpoint = parse.GetValue(flags.ControllerEndpoint),
        };
        return errors.Count == 0 ? (options, level, format == "json", []) : (null, level, false, errors);
    }

    private static System.Net.IPEndPoint? Address(string? text, string name, List<string> errors)
    {
        if (ListenAddress.TryParse(text, out var endPoint, out var error))
        {
            return endPoint;
        }

        errors.Add($"{name} \"{text}\" {error}");
        return null;
    }

    private static TimeSpan Duration(ParseResult parse, Option<string> flag, List<string> errors, bool allowZero = false)
    {
        var text = parse.GetValue(flag);
        if (!GoDuration.TryParse(text, out var value) || value < TimeSpan.Zero || (value == TimeSpan.Zero && !allowZero))
        {
            errors.Add($"{flag.Name} \"{text}\" is not a {(allowZero ? "non-negative" : "positive")} duration (e.g. 10s, 15m, 24h)");
            return TimeSpan.FromSeconds(1);
        }

        return value;
    }

    private static LogLevel LevelOf(string? text, List<string> errors)
    {
        if (!ConsoleLogging.TryParseLevel(text, out var level))
        {
            errors.Add($"--log-level \"{text}\" is not one of {string.Join(", ", ConsoleLogging.LevelNames)}");
        }

        return level;
    }

    private sealed class Flags
    {
        public Option<string?> PoolName { get; } = new("--pool-name") { Description = "The pool this gateway serves (required)." };

        public Option<string?> PoolNamespace { get; } = new("--pool-namespace") { Description = "The pool's namespace (default: POD_NAMESPACE)." };

        public Option<string> ListenAddr { get; } = new("--listen-addr") { Description = "mTLS listener.", DefaultValueFactory = _ => "0.0.0.0:1235" };

        public Option<string> MetricsAddr { get; } = new("--metrics-addr") { Description = "/metrics, /healthz, /readyz (0 turns it off).", DefaultValueFactory = _ => "0.0.0.0:9090" };

        public Option<string?> ControllerEndpoint { get; } = new("--controller-endpoint") { Description = "Accepted for compatibility; routing uses a local BuildKitWorker cache." };

        public Option<string> LogLevel { get; } = new("--log-level") { Description = "trace, debug, info, warn, error, critical.", DefaultValueFactory = _ => "info" };

        public Option<string> LogFormat { get; } = new("--log-format") { Description = "text or json.", DefaultValueFactory = _ => "text" };

        public Option<int> WorkerPort { get; } = new("--worker-port") { Description = "buildkitd's TLS port on the worker pod IP.", DefaultValueFactory = _ => 1234 };

        public Option<string?> TlsDir { get; } = new("--tls-dir") { Description = $"Server certificate, key and client CA (default {GatewayOptions.DefaultServerTlsDirectory})." };

        public Option<string?> WorkerTlsDir { get; } = new("--worker-tls-dir") { Description = $"Client certificate, key and worker CA (default {GatewayOptions.DefaultWorkerTlsDirectory})." };

        public Option<string?> Kubeconfig { get; } = new("--kubeconfig") { Description = "Kubeconfig path (default: in-cluster service account, KUBECONFIG, ~/.kube/config)." };

        public Option<int> MaxConnections { get; } = new("--max-connections") { Description = "Open client connections above which new ones are closed.", DefaultValueFactory = _ => 16_384 };

        public Option<string> HandshakeTimeout { get; } = new("--handshake-timeout") { Description = "PROXY header plus TLS handshake deadline.", DefaultValueFactory = _ => "10s" };

        public Option<string> IdleTimeout { get; } = new("--idle-timeout") { Description = "Close proxied connections silent this long.", DefaultValueFactory = _ => "1h" };

        public Option<string> MaxConnectionLifetime { get; } = new("--max-connection-lifetime") { Description = "Close proxied connections after this long.", DefaultValueFactory = _ => "24h" };

        public Option<string> WorkerConnectTimeout { get; } = new("--worker-connect-timeout") { Description = "TCP connect plus TLS handshake to the worker.", DefaultValueFactory = _ => "10s" };

        public Option<string> DrainTimeout { get; } = new("--drain-timeout") { Description = "On SIGTERM, how long open connections may continue.", DefaultValueFactory = _ => "270s" };

        public Option<string> CertReloadInterval { get; } = new("--cert-reload-interval") { Description = "How often the certificate directories are checked for changes.", DefaultValueFactory = _ => "10s" };

        public Option<string> ActivityReportInterval { get; } = new("--activity-report-interval") { Description = "At most one worker status write per worker per interval.", DefaultValueFactory = _ => "10s" };

        public Option<bool> ProxyProtocol { get; } = new("--proxy-protocol") { Description = "Expect a PROXY protocol v2 header on every client connection." };

        public Option<int> CopyBufferSize { get; } = new("--copy-buffer-size") { Description = "Pooled buffer per busy direction of a connection, in bytes.", DefaultValueFactory = _ => 32 * 1024 };

        public Option<bool> OpenSslReleaseBuffers { get; } = new("--openssl-release-buffers")
        {
            Description = "Let OpenSSL free each connection's record buffers while they are empty (false: keep them, as .NET does by default).",
            DefaultValueFactory = _ => true,
        };

        public Option<bool> PreferAes128Gcm { get; } = new("--prefer-aes128-gcm")
        {
            Description = "Prefer TLS_AES_128_GCM_SHA256 (then AES-256-GCM, ChaCha20) on both hops, as Go does: ~8% less CPU per byte, ~8 KiB more per connection.",
            DefaultValueFactory = _ => false,
        };

        public void AddTo(Command command)
        {
            foreach (var option in new Option[]
            {
                PoolName, PoolNamespace, ListenAddr, MetricsAddr, ControllerEndpoint, LogLevel, LogFormat, WorkerPort, TlsDir, WorkerTlsDir, Kubeconfig,
                MaxConnections, HandshakeTimeout, IdleTimeout, MaxConnectionLifetime, WorkerConnectTimeout, DrainTimeout, CertReloadInterval,
                ActivityReportInterval, ProxyProtocol, CopyBufferSize, OpenSslReleaseBuffers, PreferAes128Gcm,
            })
            {
                command.Options.Add(option);
            }
        }
    }
}
