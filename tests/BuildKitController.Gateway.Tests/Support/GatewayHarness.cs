using System.Net;
using BuildKitController.Core.Allocation;
using BuildKitController.Core.Api.V1Alpha1;
using BuildKitController.Gateway.Hosting;
using BuildKitController.Kubernetes.Client;
using BuildKitController.Kubernetes.Configuration;
using BuildKitController.Kubernetes.Models;
using BuildKitController.Testing;
using BuildKitController.Testing.FakeKubernetes;
using BuildKitController.Testing.StandInWorker;

namespace BuildKitController.Gateway.Tests.Support;

/// <summary>
/// A gateway for pool <c>default/ci</c> on 127.0.0.1 against the fake API server, with stand-in workers on
/// loopback addresses. Workers are written as the controller would write them (labels, allocation token hash,
/// status with pod IP), so the gateway's own informer discovers them.
/// </summary>
internal sealed class GatewayHarness : IAsyncDisposable
{
    public const string Namespace = "default";
    public const string Pool = "ci";

    private readonly CancellationTokenSource _stop = new();
    private readonly SecretVolume _serverTls;
    private readonly SecretVolume _workerTls;
    private Task _run = Task.CompletedTask;

    private GatewayHarness(FakeApiServer server, KubernetesClient client, PoolPki pki, StandInWorkerFleet fleet)
    {
        Server = server;
        Client = client;
        Pki = pki;
        Fleet = fleet;
        _serverTls = new SecretVolume(ServerFiles(pki));
        _workerTls = new SecretVolume(WorkerFiles(pki));
    }

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public FakeApiServer Server { get; }

    public KubernetesClient Client { get; }

    public PoolPki Pki { get; }

    public StandInWorkerFleet Fleet { get; }

    public GatewayHost Host { get; private set; } = null!;

    public IPEndPoint EndPoint => Host.ListenEndPoint!;

    public SecretVolume ServerTlsVolume => _serverTls;

    /// <summary>Starts the fake API server, the fleet and the gateway, and waits until the gateway is ready.</summary>
    public static async Task<GatewayHarness> StartAsync(Func<GatewayOptions, GatewayOptions>? configure = null, TimeProvider? gatewayTime = null)
    {
        var pki = new PoolPki(Pool);
        var fleet = new StandInWorkerFleet(pki.WorkerServerCertificate(), pki.WorkerTrust());
        var server = await FakeApiServer.StartAsync(new FakeApiServerOptions
        {
            SimulateKubelet = true,
            PodIp = fleet.PodIp,
            InitialNamespaces = ["default", "other"],
        }, Ct);
        await server.LoadCustomResourceDefinitionsAsync(RepositoryFiles.PathOf("deploy", "crds"), Ct);
        var client = new KubernetesClient(KubeconfigLoader.LoadFromString(server.CreateKubeconfig()));
        var harness = new GatewayHarness(server, client, pki, fleet);
        var options = new GatewayOptions
        {
            PoolName = Pool,
            PoolNamespace = Namespace,
            ListenEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            MetricsEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            WorkerPort = fleet.Port,
            ServerTlsDirectory = harness._serverTls.Path,
            WorkerTlsDirectory = harness._workerTls.Path,
            ActivityReportInterval = TimeSpan.FromMilliseconds(200),
            DrainTimeout = TimeSpan.FromSeconds(30),
        };
        harness.Host = new GatewayHost(configure?.Invoke(options) ?? options, client, TestOutputLogger.Factory(), gatewayTime, $"gateway-test-{Guid.NewGuid():N}");
        harness._run = harness.Host.RunAsync(harness._stop.Token);
        await harness.Host.Started.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        await harness.Host.Directory.Informer.WaitForSyncAsync(Ct).WaitAsync(TimeSpan.FromSeconds(30), Ct);
        return harness;
    }

    public static Dictionary<string, string> ServerFiles(PoolPki pki) => new()
    {
        ["tls.crt"] = pki.ServerChainPem,
        ["tls.key"] = pki.Server.KeyPem!,
        ["ca.crt"] = pki.ClientCa.CertificatePem,
    };

    public static Dictionary<string, string> WorkerFiles(PoolPki pki) => new()
    {
        ["client.crt"] = pki.GatewayClient.CertificatePem,
        ["client.key"] = pki.GatewayClient.KeyPem!,
        ["ca.crt"] = pki.WorkerCa.CertificatePem,
    };

    /// <summary>
    /// A ready worker of pool <paramref name="pool"/> allocated to <paramref name="token"/> (as the API and the
    /// worker reconciler leave it), its stand-in worker listening; returns once the gateway's cache has it.
    /// </summary>
    public async Task<BuildKitWorker> AddAllocatedWorkerAsync(string name, string token, DateTimeOffset? expiresAt = null, string pool = Pool, string phase = WorkerPhases.Allocated, bool podIp = true)
    {
        var api = Client.For<BuildKitWorker>();
        var created = await api.CreateAsync(new BuildKitWorker
        {
            Metadata = new ObjectMeta { Name = name, Namespace = Namespace, Labels = new() { [Gateway.Routing.WorkerDirectory.PoolLabel] = pool, ["buildkit.smrt-devops.net/worker"] = "true" } },
            Spec = new BuildKitWorkerSpec
            {
                PoolRef = new PoolReference { Name = pool },
                Allocation = new WorkerAllocation
                {
                    JobId = $"job-{name}",
                    TokenHash = AllocationToken.Hash(token),
                    RequestedBy = "system:serviceaccount:default:ci",
                    AllocatedAt = DateTimeOffset.UtcNow,
                    ExpiresAt = expiresAt ?? DateTimeOffset.UtcNow.AddHours(1),
                },
            },
        }, Ct);
        var ip = podIp ? Fleet.PodIp(Namespace, name) : null;
        var updated = await api.UpdateStatusAsync(created with
        {
            Status = new BuildKitWorkerStatus { Phase = phase, PodName = name, PodIP = ip, Endpoint = ip is null ? null : $"tcp://{ip}:1234" },
        }, Ct);
        await WaitForCacheAsync(() => Host.Directory.Informer.Cache.Get(Namespace, name)?.Metadata.ResourceVersion == updated.Metadata.ResourceVersion);
        return updated;
    }

    /// <summary>Waits (on cache change notifications, not a timer) until <paramref name="condition"/> holds.</summary>
    public async Task WaitForCacheAsync(Func<bool> condition)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        while (true)
        {
            var next = Host.Directory.NextChangeAsync(timeout.Token);
            if (condition())
            {
                return;
            }

            await next;
        }
    }

    /// <summary>Watches worker <paramref name="name"/> until <paramref name="done"/> holds; returns it.</summary>
    public async Task<BuildKitWorker?> WaitForWorkerAsync(string name, Func<BuildKitWorker?, bool> done)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        var api = Client.For<BuildKitWorker>();
        var current = await api.TryGetAsync(Namespace, name, timeout.Token);
        if (done(current))
        {
            return current;
        }

        await foreach (var change in api.WatchAsync(Namespace, new WatchOptions { ResourceVersion = current?.Metadata.ResourceVersion ?? "0", FieldSelector = $"metadata.name={name}" }, timeout.Token))
        {
            current = change.Type == WatchEventType.Deleted ? null : change.Object;
            if (done(current))
            {
                return current;
            }
        }

        throw new TimeoutException($"worker {name} never reached the expected state");
    }

    /// <summary>Stops the gateway (drains) and returns when it has exited.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await _run.WaitAsync(TimeSpan.FromSeconds(60), Ct);
    }

    public Task Running => _run;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _run.WaitAsync(TimeSpan.FromSeconds(60), CancellationToken.None);
        }
        catch (OperationCanceledException)
        {
            // Stopped during start.
        }

        await Host.DisposeAsync();
        await Fleet.DisposeAsync();
        Client.Dispose();
        await Server.DisposeAsync();
        _serverTls.Dispose();
        _workerTls.Dispose();
        Pki.Dispose();
        _stop.Dispose();
    }
}
