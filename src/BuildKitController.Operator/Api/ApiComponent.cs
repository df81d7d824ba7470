using BuildKitController.Core.Api.V1Alpha1;
using BuildKitController.Kubernetes.Client;
using BuildKitController.Kubernetes.Models.CoreV1;
using BuildKitController.Kubernetes.Runtime.Informers;
using BuildKitController.Operator.Allocation;
using BuildKitController.Operator.Auth;
using BuildKitController.Operator.Hosting;
using BuildKitController.Operator.Informers;
using BuildKitController.Operator.Metrics;

namespace BuildKitController.Operator.Api;

/// <summary>
/// The allocation API as an always-on component: it runs on every replica, leader or not, with its own informers
/// (pools, workers, the controller's Secrets, the root CA, OIDC configs), serves once they are synced, and stops
/// on shutdown.
/// </summary>
internal sealed class ApiComponent : IManagedController, IAsyncDisposable
{
    private readonly SharedInformers _shared;
    private readonly Informer<Secret> _rootCa;
    private readonly Informer<BuildKitOIDCConfig> _oidcConfigs;
    private readonly ApiServer _server;
    private readonly TaskCompletionSource<Uri?> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ILogger _logger;
    private readonly AuthMetrics _authMetrics;
    private readonly IDisposable _queueMetrics;
    private readonly CallerAuthenticator _authenticator;

    public ApiComponent(KubernetesClient client, TimeProvider time, BindAddress address, ApiTlsFiles? tls, ApiOptions options, AuthOptions auth,
        string? watchNamespace, ILoggerFactory loggers, OperatorMetrics? metrics = null, HttpMessageHandler? oidcHandler = null, SharedInformers? shared = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(auth);
        _logger = loggers.CreateLogger("api");
        _shared = shared ?? new SharedInformers(client, watchNamespace, loggers);
        _rootCa = new Informer<Secret>(client, new InformerOptions { Namespace = options.ControllerNamespace, FieldSelector = $"metadata.name={options.RootCaSecretName}" }, loggers.CreateLogger("api.informer.root-ca"));
        _oidcConfigs = new Informer<BuildKitOIDCConfig>(client, new InformerOptions { Namespace = auth.TrustOidcConfigsFromAllNamespaces ? null : auth.ControllerNamespace }, loggers.CreateLogger("api.informer.oidc"));
        var caches = new AllocationCaches(_shared.Pools.Cache, _shared.Workers.Cache, _shared.Secrets.Cache, _rootCa.Cache);
        Allocations = new AllocationService(client, caches, options.ControllerNamespace, time, metrics: metrics, watchNamespace: watchNamespace);
        _shared.Workers.AddHandler(Allocations);
        _queueMetrics = AllocationMetrics.Track(Allocations);
        _authMetrics = new AuthMetrics();
        _authenticator = new CallerAuthenticator(client, _oidcConfigs.Cache, auth, time, oidcHandler, _authMetrics, loggers);
        var authorizer = new PoolAuthorizer(client, auth, time, _authMetrics, loggers.CreateLogger("api.authz"));
        var api = new AllocationApi(Allocations, new AsyncAllocations(Allocations, time), _authenticator, authorizer, caches, options, time, _logger);
        _server = ApiServer.Create(address, tls, options, api.HandleAsync, loggers);
    }

    public string Name => "allocation-api";

    public AllocationService Allocations { get; }

    /// <summary>Completes with the bound address once the API listens.</summary>
    public Task<Uri?> Listening => _listening.Task;

    public bool HasSynced => _shared.HasSynced && _rootCa.HasSynced && _oidcConfigs.HasSynced;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var informers = new List<Task> { _shared.StartAsync(cancellationToken), _rootCa.RunAsync(cancellationToken), _oidcConfigs.RunAsync(cancellationToken) };
        try
        {
            await Task.WhenAll(_shared.WaitForSyncAsync(cancellationToken), _rootCa.WaitForSyncAsync(cancellationToken), _oidcConfigs.WaitForSyncAsync(cancellationToken));
            await _server.StartAsync(cancellationToken);
            _listening.TrySetResult(_server.Address);
            ApiLog.Listening(_logger, _server.Address!, _server.Address!.Scheme);
            await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
        catch (Exception ex)
        {
            _listening.TrySetException(ex);
            throw;
        }
        finally
        {
            _listening.TrySetResult(null);
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _server.StopAsync(stop.Token);
            await Task.WhenAll(informers);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _authenticator.Dispose();
        _queueMetrics.Dispose();
        _authMetrics.Dispose();
    }
}
