using System.Net;
using BuildKitController.Gateway.Activity;
using BuildKitController.Gateway.Diagnostics;
using BuildKitController.Gateway.Listener;
using BuildKitController.Gateway.Proxy;
using BuildKitController.Gateway.Routing;
using BuildKitController.Gateway.Tls;
using BuildKitController.Hosting.Http;
using BuildKitController.Hosting.Metrics;
using BuildKitController.Kubernetes.Client;

namespace BuildKitController.Gateway.Hosting;

/// <summary>
/// The gateway process: certificate reloaders, the worker informer, the mTLS listener, the activity reporter and
/// the metrics/health server. <see cref="RunAsync"/> serves until its token is cancelled, then drains: the
/// listener closes and <c>/readyz</c> turns 503 at once, open connections get up to
/// <see cref="GatewayOptions.DrainTimeout"/>, the final activity is written, and everything stops.
/// </summary>
internal sealed class GatewayHost : IAsyncDisposable
{
    private readonly GatewayOptions _options;
    private readonly KubernetesClient _client;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly GatewayMetrics _metrics;
    private readonly PrometheusExporter _exporter;
    private readonly ActivityTracker _activity = new();
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CertificateReloader<ServerTls>? _serverTls;
    private CertificateReloader<WorkerTls>? _workerTls;
    private GatewayListener? _listener;
    private HttpEndpoint? _http;

    public GatewayHost(GatewayOptions options, KubernetesClient client, ILoggerFactory loggers, TimeProvider? time = null, string meterName = GatewayMetrics.MeterName)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggers);
        _options = options;
        _client = client;
        _loggers = loggers;
        _logger = loggers.CreateLogger("gateway");
        _time = time ?? TimeProvider.System;
        _metrics = new GatewayMetrics(options.PoolName, meterName);
        _exporter = new PrometheusExporter([meterName]);
        Directory = new WorkerDirectory(client, options.PoolNamespace, options.PoolName, options.WorkerPort, loggers.CreateLogger("informer.workers"));
        Health = new GatewayHealth(
            () => Directory.HasSynced,
            () => _serverTls?.Current is not null,
            () => _workerTls?.Current is not null,
            () => _listener?.IsDraining == true);
    }

    public WorkerDirectory Directory { get; }

    public GatewayHealth Health { get; }

    /// <summary>Completes once the listener and the HTTP server are bound.</summary>
    public Task Started => _started.Task;

    public IPEndPoint? ListenEndPoint => _listener?.LocalEndPoint;

    public Uri? MetricsAddress => _http?.Address;

    public GatewayListener? Listener => _listener;

    internal ActivityTracker Activity => _activity;

    internal CertificateReloader<ServerTls>? ServerTls => _serverTls;

    /// <summary>The Prometheus text of this gateway's metrics.</summary>
    public string ScrapeMetrics() => _exporter.Scrape();

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        GatewayLog.Starting(_logger, typeof(GatewayHost).Assembly.GetName().Version?.ToString(), _options.PoolNamespace, _options.PoolName);
        using var background = new CancellationTokenSource();
        var tasks = new List<Task>();
        try
        {
            _serverTls = new CertificateReloader<ServerTls>(Tls.ServerTls.Bundle, _options.ServerTlsDirectory, Tls.ServerTls.FileNames, Tls.ServerTls.Load,
                m => m.Certificate, _options.CertificateReloadInterval, _time, _metrics, _logger);
            _workerTls = new CertificateReloader<WorkerTls>(WorkerTls.Bundle, _options.WorkerTlsDirectory, WorkerTls.FileNames, WorkerTls.Load,
                m => m.Certificate, _options.CertificateReloadInterval, _time, _metrics, _logger);
            var serverTls = _serverTls;
            var workerTls = _workerTls;
            var cipherSuites = CipherSuites.Policy(_options.PreferAes128Gcm);
            _listener = new GatewayListener(
                _options,
                new ClientHandshake(() => serverTls.Current, _options.ProxyProtocol, cipherSuites),
                Directory,
                new WorkerConnector(() => workerTls.Current, _options.WorkerConnectTimeout, _time, cipherSuites),
                _activity,
                _metrics,
                _time,
                _loggers.CreateLogger("listener"));
            _listener.Start();
            GatewayLog.Listening(_logger, _listener.LocalEndPoint!, _options.ProxyProtocol);
            if (_options.MetricsEndPoint is { } metricsEndPoint)
            {
                // Probes hit this port, never the TLS listener, so they are not counted as failed handshakes.
                _http = HttpEndpoint.Create("metrics and health probes", "buildkit-gateway", metricsEndPoint.Address, metricsEndPoint.Port, Routes(), _loggers, maxConcurrentConnections: 64);
                await _http.StartAsync(cancellationToken).ConfigureAwait(false);
                GatewayLog.ServingMetrics(_logger, _http.Address);
            }

            tasks.Add(Task.Run(() => Directory.RunAsync(background.Token), CancellationToken.None));
            var reporter = new ActivityReporter(_client, _activity, _options.ActivityReportInterval, _time, _metrics, _loggers.CreateLogger("activity"));
            tasks.Add(Task.Run(() => reporter.RunAsync(background.Token), CancellationToken.None));
            _started.TrySetResult();
            _ = LogReadyAsync(background.Token);

            await _listener.AcceptAsync(cancellationToken).ConfigureAwait(false);

            // Shutdown: stop accepting, drain, write the final activity (zero connections) while the client still works.
            await _listener.DrainAsync(_options.DrainTimeout, CancellationToken.None).ConfigureAwait(false);
            using var final = new CancellationTokenSource(TimeSpan.FromSeconds(10), _time);
            await reporter.ReportAsync(final.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _started.TrySetException(ex);
            throw;
        }
        finally
        {
            await background.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(tasks).ConfigureAwait(false);
            if (_http is not null)
            {
                using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _http.StopAsync(stop.Token).ConfigureAwait(false);
            }

            GatewayLog.Stopped(_logger);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_listener is not null)
        {
            await _listener.DisposeAsync().ConfigureAwait(false);
        }

        if (_http is not null)
        {
            await _http.DisposeAsync().ConfigureAwait(false);
        }

        _serverTls?.Dispose();
        _workerTls?.Dispose();
        _exporter.Dispose();
        _metrics.Dispose();
    }

    private async Task LogReadyAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Directory.Informer.WaitForSyncAsync(cancellationToken).ConfigureAwait(false);
            if (Health.IsReady)
            {
                GatewayLog.Ready(_logger);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped before the first sync.
        }
    }

    private Dictionary<string, RequestDelegate> Routes() => new(StringComparer.Ordinal)
    {
        ["/metrics"] = context =>
        {
            context.Response.ContentType = PrometheusExporter.ContentType;
            context.Response.Headers.CacheControl = "no-store";
            return context.Response.WriteAsync(_exporter.Scrape(), context.RequestAborted);
        },
        ["/healthz"] = context => WriteProbeAsync(context, GatewayHealth.Liveness()),
        ["/readyz"] = context => WriteProbeAsync(context, Health.Readiness()),
    };

    private static Task WriteProbeAsync(HttpContext context, (int Status, string Message) result)
    {
        context.Response.StatusCode = result.Status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsync(result.Message + "\n", context.RequestAborted);
    }
}
