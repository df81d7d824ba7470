using System.Runtime.ExceptionServices;
using BuildKitController.Hosting.Http;
using BuildKitController.Hosting.Metrics;
using BuildKitController.Kubernetes.Client;
using BuildKitController.Kubernetes.Configuration;
using BuildKitController.Kubernetes.Runtime.Controllers;
using BuildKitController.Kubernetes.Runtime.Events;
using BuildKitController.Kubernetes.Runtime.LeaderElection;
using BuildKitController.Operator.Informers;
using BuildKitController.Operator.Metrics;

namespace BuildKitController.Operator.Hosting;

/// <summary>
/// The controller process: a Kubernetes client, an event recorder, <c>/metrics</c> and <c>/healthz</c>/<c>/readyz</c>
/// servers, and the controllers, made by the factories given to the constructor.
/// <para>
/// Without leader election the controllers run from start to shutdown. With it, the host campaigns for the Lease
/// <see cref="OperatorOptions.LeaderElectionId"/> and creates the controllers afresh inside the leading callback;
/// when the Lease is lost their token is cancelled, they are awaited (bounded by
/// <see cref="OperatorOptions.GracefulShutdownTimeout"/>) and <see cref="RunAsync"/> throws
/// <see cref="LeaderElectionLostException"/> so the process exits non-zero and restarts as a clean standby
/// (controller-runtime's behaviour; re-campaigning in-process would risk state leaking between terms).
/// </para>
/// <para>
/// Shutdown (cancelling <see cref="RunAsync"/>'s token): <c>/readyz</c> turns 503, the controllers are cancelled
/// and awaited for at most the graceful timeout, the Lease is released (bounded by the renew deadline) so a standby
/// takes over at once, the event recorder stops, and the HTTP servers stop (bounded by
/// <see cref="ServerStopTimeout"/>).
/// </para>
/// </summary>
internal sealed class OperatorHost : IDisposable
{
    /// <summary>Upper bound on stopping the HTTP servers.</summary>
    public static readonly TimeSpan ServerStopTimeout = TimeSpan.FromSeconds(5);

    private readonly OperatorOptions _options;
    private readonly IReadOnlyList<Func<ControllerContext, IManagedController>> _factories;
    private readonly IReadOnlyList<Func<ControllerContext, IManagedController>> _serviceFactories;
    private CancellationTokenSource? _serviceFailed;
    private readonly SharedInformers _shared;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    /// <summary>The runtime's own meter (GC heap and collections, JIT, thread pool, working set), exported with ours.</summary>
    private const string RuntimeMeterName = "System.Runtime";

    private readonly KubernetesClient _client;
    private readonly SettledHeapCompactor _compactor;
    private IReadOnlyList<IManagedController> _services = [];

    /// <summary>The allocation API's client: its own rate limit, so callers never queue behind the reconcilers.</summary>
    private readonly KubernetesClient _apiClient;
    private readonly EventRecorder _events;
    private readonly OperatorMetrics _metrics;
    private readonly OperatorHealth _health;
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private PrometheusExporter? _exporter;
    private volatile LeaderElector? _elector;
    private Exception? _failure;
    private int _runs;

    /// <summary>Reads the Kubernetes configuration from <see cref="OperatorOptions.Kubeconfig"/>, <c>KUBECONFIG</c>, in-cluster or <c>~/.kube/config</c>.</summary>
    /// <exception cref="KubernetesConfigurationException">No usable configuration.</exception>
    public OperatorHost(OperatorOptions options, IReadOnlyList<Func<ControllerContext, IManagedController>> controllers, ILoggerFactory loggers, TimeProvider? time = null,
        IReadOnlyList<Func<ControllerContext, IManagedController>>? services = null)
        : this(options, KubernetesClientConfiguration.Load(options?.Kubeconfig, timeProvider: time), controllers, loggers, time, services)
    {
    }

    /// <summary>Uses an explicit Kubernetes configuration (tests).</summary>
    internal OperatorHost(OperatorOptions options, KubernetesClientConfiguration kubernetes,
        IReadOnlyList<Func<ControllerContext, IManagedController>> controllers, ILoggerFactory loggers, TimeProvider? time = null,
        IReadOnlyList<Func<ControllerContext, IManagedController>>? services = null)
    {
        _serviceFactories = services ?? [];
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(kubernetes);
        ArgumentNullException.ThrowIfNull(controllers);
        ArgumentNullException.ThrowIfNull(loggers);
        _options = options;
        _factories = controllers;
        _loggers = loggers;
        _logger = loggers.CreateLogger("operator");
        _time = time ?? TimeProvider.System;
        _client = new KubernetesClient(kubernetes, new KubernetesClientOptions { QueriesPerSecond = options.KubeApiQps, Burst = options.KubeApiBurst },
            _time, loggers.CreateLogger<KubernetesClient>());
        _apiClient = new KubernetesClient(kubernetes, new KubernetesClientOptions { QueriesPerSecond = options.ApiKubeApiQps, Burst = options.ApiKubeApiBurst },
            _time, loggers.CreateLogger<KubernetesClient>());
        _events = new EventRecorder(_client, "buildkit-controller", options.LeaderElectionIdentity, loggers.CreateLogger("events"));
        _metrics = new OperatorMetrics(_time);
        _health = new OperatorHealth(options.LeaderElect);
        _shared = new SharedInformers(_client, options.WatchNamespace, loggers);
        _compactor = new SettledHeapCompactor(_time, _logger);
    }

    public OperatorOptions Options => _options;

    /// <summary>The metrics of this process, for components that record into them.</summary>
    public OperatorMetrics Metrics => _metrics;

    /// <summary>Completes once the HTTP servers listen (faults if they cannot); the addresses are set by then.</summary>
    public Task Started => _started.Task;

    /// <summary>The bound <c>/metrics</c> address (null when disabled or not started).</summary>
    public Uri? MetricsAddress { get; private set; }

    /// <summary>The bound <c>/healthz</c>, <c>/readyz</c> address (null when disabled or not started).</summary>
    public Uri? HealthProbeAddress { get; private set; }

    /// <summary>Whether this instance holds the Lease (always false without leader election).</summary>
    public bool IsLeader => _elector?.IsLeader == true;

    /// <summary>Current liveness, as <c>/healthz</c> reports it.</summary>
    public ProbeResult Liveness => _health.Liveness();

    /// <summary>Current readiness, as <c>/readyz</c> reports it.</summary>
    public ProbeResult Readiness => _health.Readiness();

    /// <summary>
    /// Runs the process until <paramref name="cancellationToken"/> is cancelled (then returns after a graceful,
    /// bounded shutdown). Throws <see cref="LeaderElectionLostException"/> when leadership is lost, the first
    /// controller failure when a controller fails, and <see cref="IOException"/> when a server cannot listen.
    /// May be called once.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _runs) != 1)
        {
            throw new InvalidOperationException("an OperatorHost runs once");
        }

        OperatorLog.Starting(_logger, typeof(OperatorHost).Assembly.GetName().Version?.ToString(), _options.Namespace,
            _options.WatchNamespace is { Length: > 0 } ns ? $"namespace {ns}" : "all namespaces", _options.LeaderElect);
        using var stopping = cancellationToken.Register(() =>
        {
            _health.Stopping();
            OperatorLog.ShuttingDown(_logger);
        });
        using var background = new CancellationTokenSource();

        // A failing always-on component stops the controllers too, and the process exits with its error.
        using var serviceFailed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _serviceFailed = serviceFailed;
        var servers = new List<HttpEndpoint>();
        var events = Task.CompletedTask;
        var services = new List<Task>();
        var disposables = new List<object>();
        try
        {
            await StartServersAsync(servers, cancellationToken);
            events = _events.RunAsync(background.Token);

            // Always-on components (the allocation API) serve on every replica, leader or not.
            var context = new ControllerContext(_client, _time, _options, _loggers, _events, _metrics) { Shared = _shared, ServiceClient = _apiClient };
            var always = _serviceFactories.Select(factory => factory(context)).ToList();
            _health.SetServices(always);
            services = always.Select(s => SuperviseServiceAsync(s, background.Token)).ToList();
            disposables.AddRange(always.Where(s => s is IDisposable or IAsyncDisposable));
            _services = always;
            if (_options.LeaderElect)
            {
                // A standby fills the API's caches and may never lead; the leader compacts again once its term settles.
                services.Add(_compactor.CompactWhenSettledAsync(always, "start", background.Token));
            }

            _started.TrySetResult();
            try
            {
                if (_options.LeaderElect)
                {
                    await LeadAsync(serviceFailed.Token);
                }
                else
                {
                    await RunControllersAsync(serviceFailed.Token);
                }
            }
            catch (OperationCanceledException) when (serviceFailed.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                // A component failed: reported below.
            }

            if (Volatile.Read(ref _failure) is { } failure)
            {
                ExceptionDispatchInfo.Throw(failure);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped while starting: a normal shutdown.
            _started.TrySetCanceled(cancellationToken);
        }
        catch (Exception ex)
        {
            _started.TrySetException(ex);
            throw;
        }
        finally
        {
            _health.Stopped();
            await background.CancelAsync();
            await Task.WhenAll(services);
            await events;
            foreach (var disposable in disposables)
            {
                if (disposable is IAsyncDisposable asyncDisposable)
                {
                    await asyncDisposable.DisposeAsync();
                }
                else
                {
                    ((IDisposable)disposable).Dispose();
                }
            }

            await StopServersAsync(servers);
            OperatorLog.Stopped(_logger);
        }
    }

    /// <summary>Releases the client and the metric instruments (RunAsync has already stopped the servers).</summary>
    public void Dispose()
    {
        _exporter?.Dispose();
        _metrics.Dispose();
        _client.Dispose();
        _apiClient.Dispose();
    }

    private async Task LeadAsync(CancellationToken cancellationToken)
    {
        var elector = new LeaderElector(
            _client,
            new LeaderElectionOptions
            {
                Namespace = _options.LeaderElectionNamespace,
                LeaseName = _options.LeaderElectionId,
                Identity = _options.LeaderElectionIdentity,
                LeaseDuration = _options.LeaseDuration,
                RenewDeadline = _options.RenewDeadline,
                RetryPeriod = _options.RetryPeriod,
                ReleaseOnCancel = true,
            },
            _loggers.CreateLogger("leaderelection"));
        _elector = elector;
        _metrics.ObserveLeadership(_options.LeaderElectionId, () => elector.IsLeader);
        OperatorLog.Campaigning(_logger, _options.LeaderElectionNamespace, _options.LeaderElectionId, _options.LeaderElectionIdentity);
        if (await elector.RunAsync(RunControllersAsync, cancellationToken))
        {
            OperatorLog.LeadershipLost(_logger, _options.LeaderElectionId);
            throw new LeaderElectionLostException($"leadership of Lease {_options.LeaderElectionNamespace}/{_options.LeaderElectionId} lost");
        }
    }

    /// <summary>One run (leadership term) of the controllers: create, run until cancelled or one fails, stop (bounded).</summary>
    private async Task RunControllersAsync(CancellationToken cancellationToken)
    {
        var term = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var context = new ControllerContext(_client, _time, _options, _loggers, _events, _metrics) { Shared = _shared };
        var controllers = new List<IManagedController>(_factories.Count);
        try
        {
            foreach (var factory in _factories)
            {
                controllers.Add(factory(context));
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            OperatorLog.ControllerFailed(_logger, ex, "(factory)");
            Fail(ex, term);
            _metrics.EndTerm();
            term.Dispose();
            return;
        }

        _health.BeginTerm(controllers);
        OperatorLog.StartingControllers(_logger, string.Join(", ", controllers.Select(c => c.Name)));
        var runs = controllers.Select(c => SuperviseAsync(c, term)).ToArray();
        var compaction = _compactor.CompactWhenSettledAsync([.. _services, .. controllers], "the controllers' first pass", term.Token);
        var all = Task.WhenAll(runs);
        try
        {
            // With no controllers at all, the term still lasts until it is cancelled.
            await (runs.Length == 0 ? Task.Delay(Timeout.InfiniteTimeSpan, _time, term.Token) : all.WaitAsync(term.Token));
        }
        catch (OperationCanceledException) when (term.IsCancellationRequested)
        {
            // Stopping: leadership lost, shutdown, or a controller failed.
        }

        try
        {
            await all.WaitAsync(_options.GracefulShutdownTimeout, _time, CancellationToken.None);
            await compaction;
            OperatorLog.ControllersStopped(_logger);
            term.Dispose();
            foreach (var disposable in controllers.OfType<IDisposable>())
            {
                disposable.Dispose();
            }
        }
        catch (TimeoutException)
        {
            // The stragglers keep running until the process exits; their token stays valid (not disposed).
            var stuck = controllers.Where((_, i) => !runs[i].IsCompleted).Select(c => c.Name);
            OperatorLog.ShutdownTimedOut(_logger, string.Join(", ", stuck), _options.GracefulShutdownTimeout);
        }
        finally
        {
            _health.EndTerm();
            _metrics.EndTerm();
        }
    }

    /// <summary>Runs an always-on component until shutdown; a failure is logged and the component is not restarted (readiness reports it).</summary>
    private async Task SuperviseServiceAsync(IManagedController service, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Run(() => service.RunAsync(cancellationToken), CancellationToken.None);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped as asked.
        }
        catch (Exception ex)
        {
            OperatorLog.ControllerFailed(_logger, ex, service.Name);
            Fail(ex, null);
        }
    }

    private async Task SuperviseAsync(IManagedController controller, CancellationTokenSource term)
    {
        var token = term.Token;
        try
        {
            await Task.Run(() => controller.RunAsync(token), CancellationToken.None);
            if (!token.IsCancellationRequested)
            {
                OperatorLog.ControllerStoppedEarly(_logger, controller.Name);
                Fail(new InvalidOperationException($"controller {controller.Name} stopped on its own"), term);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Stopped as asked.
        }
        catch (Exception ex)
        {
            OperatorLog.ControllerFailed(_logger, ex, controller.Name);
            Fail(ex, term);
        }
    }

    /// <summary>Remembers the first failure (RunAsync rethrows it) and stops the term.</summary>
    private void Fail(Exception exception, CancellationTokenSource? term)
    {
        Interlocked.CompareExchange(ref _failure, exception, null);
        try
        {
            (term ?? _serviceFailed)?.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The term is over already.
        }
    }

    private async Task StartServersAsync(List<HttpEndpoint> servers, CancellationToken cancellationToken)
    {
        var metricsRoutes = new Dictionary<string, RequestDelegate>(StringComparer.Ordinal);
        if (!_options.MetricsBindAddress.IsDisabled)
        {
            var exporter = new PrometheusExporter([RuntimeMeterName, ControllerMetrics.MeterName, OperatorMetrics.MeterName, Allocation.AllocationMetrics.MeterName, Api.ApiMetrics.MeterName, Auth.AuthMetrics.MeterName]);
            _exporter = exporter;
            metricsRoutes["/metrics"] = context =>
            {
                context.Response.ContentType = PrometheusExporter.ContentType;
                context.Response.Headers.CacheControl = "no-store";
                return context.Response.WriteAsync(exporter.Scrape(), context.RequestAborted);
            };
        }

        var probeRoutes = new Dictionary<string, RequestDelegate>(StringComparer.Ordinal)
        {
            ["/healthz"] = context => WriteProbeAsync(context, _health.Liveness()),
            ["/readyz"] = context => WriteProbeAsync(context, _health.Readiness()),
        };

        var metrics = _options.MetricsBindAddress;
        var probes = _options.HealthProbeBindAddress;
        if (!metrics.IsDisabled && metrics == probes && metrics.Port != 0)
        {
            // One address for both: a single server (two would fight over the port).
            var both = new Dictionary<string, RequestDelegate>(metricsRoutes, StringComparer.Ordinal);
            foreach (var (path, route) in probeRoutes)
            {
                both[path] = route;
            }

            var server = await StartServerAsync(servers, "metrics and health probes", metrics, both, cancellationToken);
            MetricsAddress = HealthProbeAddress = server.Address;
            return;
        }

        if (metrics.IsDisabled)
        {
            OperatorLog.ServerDisabled(_logger, "metrics");
        }
        else
        {
            MetricsAddress = (await StartServerAsync(servers, "metrics", metrics, metricsRoutes, cancellationToken)).Address;
        }

        if (probes.IsDisabled)
        {
            OperatorLog.ServerDisabled(_logger, "health probe");
        }
        else
        {
            HealthProbeAddress = (await StartServerAsync(servers, "health probes", probes, probeRoutes, cancellationToken)).Address;
        }
    }

    private async Task<HttpEndpoint> StartServerAsync(List<HttpEndpoint> servers, string name, BindAddress address,
        IReadOnlyDictionary<string, RequestDelegate> routes, CancellationToken cancellationToken)
    {
        var server = HttpEndpoint.Create(name, "buildkit-controller", address.ListenAddress, address.Port, routes, _loggers);
        servers.Add(server);
        await server.StartAsync(cancellationToken);
        OperatorLog.Serving(_logger, name, server.Address);
        return server;
    }

    private async Task StopServersAsync(List<HttpEndpoint> servers)
    {
        using var timeout = new CancellationTokenSource(ServerStopTimeout, _time);
        foreach (var server in servers)
        {
            try
            {
                await server.StopAsync(timeout.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or InvalidOperationException)
            {
                OperatorLog.ServerStopFailed(_logger, ex, server.Name);
            }

            await server.DisposeAsync();
        }
    }

    private static Task WriteProbeAsync(HttpContext context, ProbeResult result)
    {
        context.Response.StatusCode = result.StatusCode;
        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsync(result.Message + "\n", context.RequestAborted);
    }
}
