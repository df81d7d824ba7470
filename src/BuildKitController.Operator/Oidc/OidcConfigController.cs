using BuildKitController.Core.Api.V1Alpha1;
using BuildKitController.Kubernetes.Client;
using BuildKitController.Kubernetes.Runtime.Controllers;
using BuildKitController.Kubernetes.Runtime.Informers;
using BuildKitController.Operator.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace BuildKitController.Operator.Oidc;

/// <summary>
/// The BuildKitOIDCConfig controller: one informer on the configs (optionally one namespace) feeding
/// <see cref="OidcConfigReconciler"/>, which verifies each issuer's discovery document and JWKS and reports it in
/// the status.
/// </summary>
internal sealed class OidcConfigController : IManagedController, IDisposable
{
    private readonly Informer<BuildKitOIDCConfig> _configs;
    private readonly HttpClient _http;

    /// <param name="client">The Kubernetes client.</param>
    /// <param name="time">Clock of re-checks and status times.</param>
    /// <param name="options">Namespace, intervals, HTTP limits.</param>
    /// <param name="httpHandler">Handler for discovery and JWKS requests (not disposed here); null uses a default
    /// handler that trusts the system roots.</param>
    /// <param name="loggers">Loggers; null logs nothing.</param>
    public OidcConfigController(KubernetesClient client, TimeProvider time, OidcConfigControllerOptions? options = null,
        HttpMessageHandler? httpHandler = null, ILoggerFactory? loggers = null)
    {
        options ??= new OidcConfigControllerOptions();
        _http = httpHandler is null
            ? new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), MaxAutomaticRedirections = 5 }, disposeHandler: true)
            : new HttpClient(httpHandler, disposeHandler: false);
        _http.Timeout = Timeout.InfiniteTimeSpan;
        _configs = new Informer<BuildKitOIDCConfig>(client, new InformerOptions { Namespace = options.Namespace }, loggers?.CreateLogger("informer.oidcconfigs"));
        var probe = new OidcIssuerProbe(new OidcDocumentFetcher(_http, options.HttpTimeout, options.MaxResponseBytes));
        var reconciler = new OidcConfigReconciler(client, _configs.Cache, probe, time, options,
            loggers?.CreateLogger("controller.oidcconfig") ?? (ILogger)NullLogger.Instance);
        Controller = new Controller<ObjectKey>(Name, reconciler, time, options.Controller, logger: loggers?.CreateLogger("controller.oidcconfig"));
        _configs.AddHandler(new EnqueueHandler<BuildKitOIDCConfig>(Controller.Queue, c => [ObjectKey.Of(c)]));
    }

    public string Name => "buildkitoidcconfig";

    public Controller<ObjectKey> Controller { get; }

    public int QueueDepth => Controller.Queue.Count;

    public ObjectCache<BuildKitOIDCConfig> Configs => _configs.Cache;

    /// <summary>True once the informer has listed.</summary>
    public bool HasSynced => _configs.HasSynced;

    /// <summary>Starts the informer, waits until its cache is synced, then reconciles until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var informer = _configs.RunAsync(cancellationToken);
        try
        {
            await _configs.WaitForSyncAsync(cancellationToken);
            await Controller.RunAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            await informer;
        }
    }

    public void Dispose() => _http.Dispose();
}
