using BuildKitController.Core.Api.V1Alpha1;
using BuildKitController.Kubernetes.Client;
using BuildKitController.Kubernetes.Configuration;
using BuildKitController.Kubernetes.Models;
using BuildKitController.Kubernetes.Models.CoordinationV1;
using BuildKitController.Operator.Hosting;
using BuildKitController.Testing;
using BuildKitController.Testing.FakeKubernetes;
using Microsoft.Extensions.Logging.Abstractions;

namespace BuildKitController.Operator.Tests.Hosting;

/// <summary>Shared plumbing of the in-process host tests: a fake API server with the CRDs, hosts on loopback ports, waits on watches.</summary>
internal static class HostTesting
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<FakeApiServer> StartServerAsync()
    {
        var server = await FakeApiServer.StartAsync(
            new FakeApiServerOptions { SimulateKubelet = true, InitialNamespaces = ["default", "kube-system", OperatorOptions.DefaultNamespace] },
            Ct);
        await server.LoadCustomResourceDefinitionsAsync(RepositoryFiles.PathOf("deploy", "crds"), Ct);
        return server;
    }

    public static KubernetesClient AdminClient(FakeApiServer server) => new(KubeconfigLoader.LoadFromString(server.CreateKubeconfig()));

    /// <summary>Options for a test host: loopback port-0 servers, no API server, a fixed identity.</summary>
    public static OperatorOptions Options(string identity = "test-host") => new()
    {
        MetricsBindAddress = BindAddress.Parse("127.0.0.1:0"),
        HealthProbeBindAddress = BindAddress.Parse("127.0.0.1:0"),
        ApiBindAddress = BindAddress.Disabled,
        LeaderElectionIdentity = identity,
        GracefulShutdownTimeout = TimeSpan.FromSeconds(20),
    };

    /// <summary>Leader election quick enough for tests but tolerant of a busy 2-core machine.</summary>
    public static OperatorOptions LeaderElecting(string identity) => Options(identity) with
    {
        LeaderElect = true,
        LeaseDuration = TimeSpan.FromSeconds(5),
        RenewDeadline = TimeSpan.FromSeconds(4),
        RetryPeriod = TimeSpan.FromMilliseconds(250),
    };

    public static OperatorHost CreateHost(FakeApiServer server, OperatorOptions options,
        IReadOnlyList<Func<ControllerContext, IManagedController>>? controllers = null, string? token = null) =>
        new(options, KubeconfigLoader.LoadFromString(server.CreateKubeconfig(token)), controllers ?? OperatorControllers.Default, NullLoggerFactory.Instance);

    public static async Task<(int Status, string Body, string? ContentType)> GetAsync(Uri? server, string path)
    {
        Assert.NotNull(server);
        using var response = await Http.GetAsync(new Uri(server, path), Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        return ((int)response.StatusCode, body, response.Content.Headers.ContentType?.ToString());
    }

    public static Task<BuildKitPool> CreatePoolAsync(KubernetesClient client, string name) =>
        client.For<BuildKitPool>().CreateAsync(new BuildKitPool { Metadata = new ObjectMeta { Name = name, Namespace = "default" } }, Ct);

    public static Task<BuildKitWorker> CreateWorkerAsync(KubernetesClient client, string name, string pool) =>
        client.For<BuildKitWorker>().CreateAsync(new BuildKitWorker
        {
            Metadata = new ObjectMeta { Name = name, Namespace = "default", Labels = new() { ["buildkit.smrt-devops.net/pool"] = pool } },
            Spec = new BuildKitWorkerSpec { PoolRef = new PoolReference { Name = pool } },
        }, Ct);

    /// <summary>Follows a worker in <c>default</c> until <paramref name="done"/> holds.</summary>
    public static async Task<BuildKitWorker> WaitForWorkerAsync(KubernetesClient client, string name, Func<BuildKitWorker, bool> done)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        var workers = client.For<BuildKitWorker>();
        var current = await workers.TryGetAsync("default", name, timeout.Token);
        if (current is not null && done(current))
        {
            return current;
        }

        var options = new WatchOptions { ResourceVersion = current?.Metadata.ResourceVersion, FieldSelector = $"metadata.name={name}" };
        await foreach (var change in workers.WatchAsync("default", options, timeout.Token))
        {
            if (change.Type is WatchEventType.Added or WatchEventType.Modified && done(change.Object))
            {
                return change.Object;
            }
        }

        throw new InvalidOperationException("the watch ended");
    }

    /// <summary>Follows the leader election Lease until <paramref name="holder"/> holds it.</summary>
    public static async Task WaitForLeaseHolderAsync(KubernetesClient client, string holder)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        var leases = client.For<Lease>();
        var ns = OperatorOptions.DefaultNamespace;
        var current = await leases.TryGetAsync(ns, OperatorOptions.DefaultLeaderElectionId, timeout.Token);
        if (current?.Spec?.HolderIdentity == holder)
        {
            return;
        }

        var options = new WatchOptions { ResourceVersion = current?.Metadata.ResourceVersion, FieldSelector = $"metadata.name={OperatorOptions.DefaultLeaderElectionId}" };
        await foreach (var change in leases.WatchAsync(ns, options, timeout.Token))
        {
            if (change.Type is WatchEventType.Added or WatchEventType.Modified && change.Object.Spec?.HolderIdentity == holder)
            {
                return;
            }
        }

        throw new InvalidOperationException("the watch ended");
    }

    /// <summary>A request that changes state (lease writes included).</summary>
    public static bool IsWrite(RequestLogEntry entry) => entry.Method is "POST" or "PUT" or "PATCH" or "DELETE";
}
