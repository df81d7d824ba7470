using BuildKitController.Core.Api.V1Alpha1;
using BuildKitController.Kubernetes.Client;
using BuildKitController.Kubernetes.Configuration;
using BuildKitController.Kubernetes.Models;
using BuildKitController.Kubernetes.Runtime.Events;
using BuildKitController.Operator.Pools;
using BuildKitController.Operator.Workers;
using BuildKitController.Testing;
using BuildKitController.Testing.FakeKubernetes;

namespace BuildKitController.Operator.Tests.Pools;

/// <summary>
/// A fake API server (with the simulated kubelet and deployment controller) plus the pool and worker controllers,
/// and watch-based waits. Disposing stops the controllers, then the server.
/// </summary>
internal sealed class PoolHarness : IAsyncDisposable
{
    private CancellationTokenSource _stop;
    private readonly List<Task> _running = [];

    private PoolHarness(FakeApiServer server, KubernetesClient client, TimeProvider time, PoolControllerOptions options)
    {
        Server = server;
        Client = client;
        Time = time;
        Options = options;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
    }

    public FakeApiServer Server { get; }

    public KubernetesClient Client { get; }

    public TimeProvider Time { get; }

    public PoolControllerOptions Options { get; }

    public PoolController? Pools { get; private set; }

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<PoolHarness> StartAsync(
        TimeProvider? time = null, PoolControllerOptions? options = null, bool garbageCollection = true, bool startControllers = true, Action<KubernetesClientOptions>? client = null)
    {
        time ??= TimeProvider.System;
        var server = await FakeApiServer.StartAsync(new FakeApiServerOptions
        {
            SimulateKubelet = true,
            SimulateDeploymentController = true,
            TimeProvider = time,
            GarbageCollection = garbageCollection,
            InitialNamespaces = ["default", "kube-system", "buildkit-system", "team-a"],
        }, Ct);
        await server.LoadCustomResourceDefinitionsAsync(RepositoryFiles.PathOf("deploy", "crds"), Ct);
        var clientOptions = new KubernetesClientOptions();
        client?.Invoke(clientOptions);
        var harness = new PoolHarness(server, new KubernetesClient(KubeconfigLoader.LoadFromString(server.CreateKubeconfig()), clientOptions), time, options ?? new PoolControllerOptions());
        if (startControllers)
        {
            harness.StartControllers();
        }

        return harness;
    }

    public void StartControllers()
    {
        var events = new EventRecorder(Client, "buildkit-controller", "test");
        _running.Add(events.RunAsync(_stop.Token));
        Pools = new PoolController(Client, Time, Options, events: events);
        var workers = new WorkerController(Client, Time, defaults: Options.Defaults);
        _running.Add(Pools.RunAsync(_stop.Token));
        _running.Add(workers.RunAsync(_stop.Token));
    }

    public async Task StopControllersAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_running).WaitAsync(TimeSpan.FromSeconds(30), Ct);
        _running.Clear();
        _stop.Dispose();
        _stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
    }

    public Task<BuildKitPool> CreatePoolAsync(string name, BuildKitPoolSpec? spec = null, string ns = "default") =>
        Client.For<BuildKitPool>().CreateAsync(new BuildKitPool { Metadata = new ObjectMeta { Name = name, Namespace = ns }, Spec = spec ?? new BuildKitPoolSpec() }, Ct);

    /// <summary>Applies <paramref name="change"/> to the latest pool, retrying on conflicts.</summary>
    public async Task<BuildKitPool> EditPoolAsync(string name, Action<BuildKitPool> change, string ns = "default")
    {
        for (var attempt = 0; ; attempt++)
        {
            var pool = await Client.For<BuildKitPool>().GetAsync(ns, name, Ct);
            change(pool);
            try
            {
                return await Client.For<BuildKitPool>().UpdateAsync(pool, Ct);
            }
            catch (Kubernetes.Errors.KubernetesConflictException) when (attempt < 10)
            {
                // Someone else wrote in between (the controller adding its finalizer); try again on the fresh object.
            }
        }
    }

    /// <summary>Waits (by watching) until the object satisfies <paramref name="done"/>; null is passed while it does not exist.</summary>
    public async Task<T?> WaitForAsync<T>(string? ns, string name, Func<T?, bool> done, TimeSpan? timeout = null)
        where T : class, IKubernetesResource<T>
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cts.CancelAfter(timeout ?? TimeSpan.FromSeconds(90));
        var api = Client.For<T>();
        while (true)
        {
            var current = await api.TryGetAsync(ns, name, cts.Token);
            if (done(current))
            {
                return current;
            }

            try
            {
                await foreach (var change in api.WatchAsync(ns, new WatchOptions { ResourceVersion = current?.Metadata.ResourceVersion ?? "0", FieldSelector = $"metadata.name={name}" }, cts.Token))
                {
                    var value = change.Type == WatchEventType.Deleted ? null : change.Type is WatchEventType.Added or WatchEventType.Modified ? change.Object : current;
                    current = value;
                    if (done(value))
                    {
                        return value;
                    }
                }
            }
            catch (Kubernetes.Errors.KubernetesGoneException)
            {
                // History compacted under us: start over from a fresh read.
            }
        }
    }

    /// <summary>Waits until the list of <typeparamref name="T"/> in <paramref name="ns"/> satisfies <paramref name="done"/>.</summary>
    public async Task<IReadOnlyList<T>> WaitForListAsync<T>(string? ns, Func<IReadOnlyList<T>, bool> done, string? labelSelector = null, TimeSpan? timeout = null)
        where T : class, IKubernetesResource<T>
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cts.CancelAfter(timeout ?? TimeSpan.FromSeconds(90));
        var api = Client.For<T>();
        while (true)
        {
            var list = await api.ListAsync(ns, new ListOptions { LabelSelector = labelSelector }, cts.Token);
            if (done(list.Items))
            {
                return list.Items;
            }

            // Any change in the namespace may complete the condition: wait for one, then list again.
            try
            {
                await foreach (var _ in api.WatchAsync(ns, new WatchOptions { ResourceVersion = list.Metadata?.ResourceVersion, LabelSelector = labelSelector }, cts.Token))
                {
                    break;
                }
            }
            catch (Kubernetes.Errors.KubernetesGoneException)
            {
                // Start over.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync();
        }

        try
        {
            await Task.WhenAll(_running).WaitAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
        }
        finally
        {
            _stop.Dispose();
            Client.Dispose();
            await Server.DisposeAsync();
        }
    }
}
