using BuildKitController.Core.Api.V1Alpha1;
using BuildKitController.Kubernetes.Client;
using BuildKitController.Kubernetes.Models;
using BuildKitController.Kubernetes.Models.AppsV1;
using BuildKitController.Kubernetes.Models.CoreV1;
using BuildKitController.Kubernetes.Models.NetworkingV1;
using BuildKitController.Kubernetes.Models.PolicyV1;
using BuildKitController.Kubernetes.Models.RbacV1;
using BuildKitController.Kubernetes.Runtime.Controllers;
using BuildKitController.Kubernetes.Runtime.Events;
using BuildKitController.Kubernetes.Runtime.Informers;
using BuildKitController.Operator.Hosting;
using BuildKitController.Operator.Informers;
using BuildKitController.Operator.Metrics;
using BuildKitController.Operator.Naming;
using BuildKitController.Operator.Pki;

namespace BuildKitController.Operator.Pools;

/// <summary>
/// The pool controller: informers on pools, workers and the pool's owned objects (label-scoped to
/// <c>app.kubernetes.io/managed-by=buildkit-controller</c>, so no foreign Secret is cached), plus the root CA Secret
/// by name; any change to an owned object or worker wakes its pool, a root CA change wakes every pool.
/// </summary>
internal sealed class PoolController : IManagedController
{
    private readonly List<IInformerRunner> _informers = [];

    private readonly SharedInformers _shared;

    public PoolController(KubernetesClient client, TimeProvider time, PoolControllerOptions options, string? watchNamespace = null,
        ControllerOptions? controllerOptions = null, ILoggerFactory? loggers = null, EventRecorder? events = null)
        : this(client, time, options, new SharedInformers(client, watchNamespace, loggers), watchNamespace, controllerOptions, loggers, events, metrics: null)
    {
    }

    public PoolController(KubernetesClient client, TimeProvider time, PoolControllerOptions options, SharedInformers shared, string? watchNamespace = null,
        ControllerOptions? controllerOptions = null, ILoggerFactory? loggers = null, EventRecorder? events = null, OperatorMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(shared);
        _shared = shared;
        var managed = $"{Labels.ManagedBy}={Labels.ManagerName}";
        var pools = shared.Pools;
        var workers = shared.Workers;
        var secrets = shared.Secrets;
        var rootCa = Add(new Informer<Secret>(client, new InformerOptions { Namespace = options.ControllerNamespace, FieldSelector = $"metadata.name={options.RootCaSecretName}" }, loggers?.CreateLogger("informer.root-ca")));
        var configMaps = Add(new Informer<ConfigMap>(client, new InformerOptions { Namespace = watchNamespace, LabelSelector = managed }, loggers?.CreateLogger("informer.configmaps"), CacheTransforms.MetadataOnly));
        var deployments = Add(new Informer<Deployment>(client, new InformerOptions { Namespace = watchNamespace, LabelSelector = managed }, loggers?.CreateLogger("informer.deployments"), CacheTransforms.GatewayDeployment));
        var services = Add(new Informer<Service>(client, new InformerOptions { Namespace = watchNamespace, LabelSelector = managed }, loggers?.CreateLogger("informer.services")));
        var policies = Add(new Informer<NetworkPolicy>(client, new InformerOptions { Namespace = watchNamespace, LabelSelector = managed }, loggers?.CreateLogger("informer.networkpolicies"), CacheTransforms.MetadataOnly));
        var budgets = Add(new Informer<PodDisruptionBudget>(client, new InformerOptions { Namespace = watchNamespace, LabelSelector = managed }, loggers?.CreateLogger("informer.pdbs"), CacheTransforms.MetadataOnly));
        var accounts = Add(new Informer<ServiceAccount>(client, new InformerOptions { Namespace = watchNamespace, LabelSelector = managed }, loggers?.CreateLogger("informer.serviceaccounts"), CacheTransforms.MetadataOnly));
        var roles = Add(new Informer<Role>(client, new InformerOptions { Namespace = watchNamespace, LabelSelector = managed }, loggers?.CreateLogger("informer.roles"), CacheTransforms.MetadataOnly));
        var bindings = Add(new Informer<RoleBinding>(client, new InformerOptions { Namespace = watchNamespace, LabelSelector = managed }, loggers?.CreateLogger("informer.rolebindings"), CacheTransforms.MetadataOnly));
        var ingresses = options.AllowedIngressTypes.Contains(IngressTypes.Ingress)
            ? Add(new Informer<Ingress>(client, new InformerOptions { Namespace = watchNamespace, LabelSelector = managed }, loggers?.CreateLogger("informer.ingresses")))
            : null;

        Caches = new PoolCaches(pools.Cache, workers.Cache, secrets.Cache, rootCa.Cache, configMaps.Cache, deployments.Cache, services.Cache, policies.Cache, budgets.Cache, accounts.Cache, roles.Cache, bindings.Cache, ingresses?.Cache);
        var logger = loggers?.CreateLogger("controller.pool") ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        var provider = new RootCertificateAuthorityProvider(client, rootCa.Cache, options, time, logger);
        var reconciler = new PoolReconciler(client, Caches, provider, options, time, logger, events, metrics);
        Controller = new Controller<ObjectKey>(Name, reconciler, time, controllerOptions, logger: logger);

        var queue = Controller.Queue;
        // The pool's own status writes (one after most worker changes) need no second pass.
        pools.AddHandler(new EnqueueHandler<BuildKitPool>(queue, p => [ObjectKey.Of(p)], ChangePredicates.SpecOrMetadataChanged));
        workers.AddHandler(new EnqueueHandler<BuildKitWorker>(queue, w => [PoolKeyOf(w)]));
        rootCa.AddHandler(new EnqueueHandler<Secret>(queue, _ => pools.Cache.Keys()));
        secrets.AddHandler(new EnqueueHandler<Secret>(queue, ByPoolLabel));
        configMaps.AddHandler(new EnqueueHandler<ConfigMap>(queue, ByPoolLabel));
        deployments.AddHandler(new EnqueueHandler<Deployment>(queue, ByPoolLabel));
        services.AddHandler(new EnqueueHandler<Service>(queue, ByPoolLabel));
        policies.AddHandler(new EnqueueHandler<NetworkPolicy>(queue, ByPoolLabel));
        budgets.AddHandler(new EnqueueHandler<PodDisruptionBudget>(queue, ByPoolLabel));
        accounts.AddHandler(new EnqueueHandler<ServiceAccount>(queue, ByPoolLabel));
        roles.AddHandler(new EnqueueHandler<Role>(queue, ByPoolLabel));
        bindings.AddHandler(new EnqueueHandler<RoleBinding>(queue, ByPoolLabel));
        ingresses?.AddHandler(new EnqueueHandler<Ingress>(queue, ByPoolLabel));
    }

    public string Name => "buildkitpool";

    public Controller<ObjectKey> Controller { get; }

    public int QueueDepth => Controller.Queue.Count;

    public PoolCaches Caches { get; }

    /// <summary>The pool and worker informers (shared with the worker controller and the allocation service).</summary>
    public SharedInformers Shared => _shared;

    public bool HasSynced => _shared.HasSynced && _informers.All(i => i.HasSynced);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var running = _informers.Select(i => i.RunAsync(cancellationToken)).Append(_shared.StartAsync(cancellationToken)).ToList();
        try
        {
            await Task.WhenAll(_informers.Select(i => i.WaitForSyncAsync(cancellationToken)).Append(_shared.WaitForSyncAsync(cancellationToken)));
            await Controller.RunAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            await Task.WhenAll(running);
        }
    }

    private static ObjectKey PoolKeyOf(BuildKitWorker worker) =>
        new(string.IsNullOrEmpty(worker.Spec.PoolRef.Namespace) ? worker.Metadata.Namespace ?? "" : worker.Spec.PoolRef.Namespace, worker.Spec.PoolRef.Name);

    private static IEnumerable<ObjectKey> ByPoolLabel(IKubernetesObject value) =>
        value.Metadata.Labels?.TryGetValue(Labels.Pool, out var pool) == true ? [new ObjectKey(value.Metadata.Namespace ?? "", pool)] : [];

    private Informer<T> Add<T>(Informer<T> informer)
        where T : class, IKubernetesResource<T>
    {
        _informers.Add(new InformerRunner<T>(informer));
        return informer;
    }

    private interface IInformerRunner
    {
        bool HasSynced { get; }

        Task RunAsync(CancellationToken cancellationToken);

        Task WaitForSyncAsync(CancellationToken cancellationToken);
    }

    private sealed class InformerRunner<T>(Informer<T> informer) : IInformerRunner
        where T : class, IKubernetesResource<T>
    {
        public bool HasSynced => informer.HasSynced;

        public Task RunAsync(CancellationToken cancellationToken) => informer.RunAsync(cancellationToken);

        public Task WaitForSyncAsync(CancellationToken cancellationToken) => informer.WaitForSyncAsync(cancellationToken);
    }
}
