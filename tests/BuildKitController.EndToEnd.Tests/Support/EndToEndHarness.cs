using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using BuildKitController.Core.Api.V1Alpha1;
using BuildKitController.Gateway.Hosting;
using BuildKitController.Kubernetes.Client;
using BuildKitController.Kubernetes.Configuration;
using BuildKitController.Kubernetes.Models;
using BuildKitController.Kubernetes.Models.AuthenticationV1;
using BuildKitController.Kubernetes.Models.CoreV1;
using BuildKitController.Testing;
using BuildKitController.Testing.FakeKubernetes;
using BuildKitController.Testing.StandInWorker;
using Microsoft.Extensions.Logging.Abstractions;

namespace BuildKitController.EndToEnd.Tests.Support;

/// <summary>
/// The whole product on loopback: the fake API server with a simulated kubelet whose worker pods are stand-in
/// workers, the real controller process (pools, workers, PKI, allocation API), and a gateway per pool fed with the
/// Secrets the controller made, exactly as its Deployment mounts them.
/// </summary>
internal sealed class EndToEndHarness : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<(GatewayHost Host, Task Run, string Directory)> _gateways = [];
    private readonly string _directory = Directory.CreateTempSubdirectory("e2e-").FullName;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (X509Certificate2 Certificate, X509Certificate2Collection Trusted)> _workerCredentials = new();

    private EndToEndHarness()
    {
        // Worker pods are named <pool>-worker-<n>; each serves its pool's worker certificate and trusts its worker CA.
        Fleet = new StandInWorkerFleet(pod => _workerCredentials.First(p => pod.StartsWith(p.Key + "-worker-", StringComparison.Ordinal)).Value);
    }

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public StandInWorkerFleet Fleet { get; }

    public FakeApiServer Server { get; private set; } = null!;

    public KubernetesClient Client { get; private set; } = null!;

    public ControllerProcess Controller { get; private set; } = null!;

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(120) };

    public static async Task<EndToEndHarness> StartAsync()
    {
        var harness = new EndToEndHarness();
        harness.Server = await FakeApiServer.StartAsync(new FakeApiServerOptions
        {
            SimulateKubelet = true,
            SimulateDeploymentController = true,
            PodIp = harness.Fleet.PodIp,
            InitialNamespaces = ["default", "kube-system", "buildkit-system"],
        }, Ct);
        await harness.Server.LoadCustomResourceDefinitionsAsync(RepositoryFiles.PathOf("deploy", "crds"), Ct);
        harness.Server.TokenReviewHandler = Review;
        var kubeconfig = await harness.Server.WriteKubeconfigAsync(Path.Combine(harness._directory, "kubeconfig"), Ct, harness.Server.AdminToken);
        harness.Client = new KubernetesClient(KubeconfigLoader.LoadFromString(await File.ReadAllTextAsync(kubeconfig, Ct)));
        harness.Controller = await ControllerProcess.StartAsync(kubeconfig, Ct);
        return harness;
    }

    private static TokenReviewStatus Review(TokenReviewSpec spec) => spec.Token is { } token && token.EndsWith("-token", StringComparison.Ordinal)
        ? new() { Authenticated = true, User = new() { Username = User(token[..^"-token".Length]), Groups = ["system:serviceaccounts", "system:authenticated"] } }
        : new() { Authenticated = false, Error = "invalid bearer token" };

    public static string User(string name) => $"system:serviceaccount:default:{name}";

    /// <summary>Creates a scale-to-zero pool usable by <paramref name="users"/>, waits until its gateway objects exist, and starts its gateway.</summary>
    public async Task<GatewayHost> CreatePoolWithGatewayAsync(string name, params string[] users)
    {
        await Client.For<BuildKitPool>().CreateAsync(new BuildKitPool
        {
            Metadata = new ObjectMeta { Name = name, Namespace = "default" },
            Spec = new BuildKitPoolSpec
            {
                Scaling = new ScalingConfig { Min = 0, Max = 4 },
                Auth = new AuthConfig { Rbac = new RbacConfig { Enabled = true, Rules = [new RbacRule { Users = [.. users.Select(User)], Pools = [name] }] } },
            },
        }, Ct);
        await WaitForAsync<BuildKitPool>(name, p => p?.Status?.Gateway?.Ready == true);
        var serverTls = await WaitForAsync<Secret>($"{name}-tls", s => s?.Data?.ContainsKey("tls.key") == true);
        var clientTls = await WaitForAsync<Secret>($"{name}-client-certs", s => s?.Data?.ContainsKey("client.key") == true);
        var workerTls = await WaitForAsync<Secret>($"{name}-worker-tls", s => s?.Data?.ContainsKey("tls.key") == true);

        _workerCredentials[name] = (
            X509Certificate2.CreateFromPem(Text(workerTls!, "tls.crt"), Text(workerTls!, "tls.key")),
            [X509Certificate2.CreateFromPem(Text(workerTls!, "ca.crt"))]);

        var directory = Path.Combine(_directory, name);
        var tls = Write(Path.Combine(directory, "tls"), serverTls!, "tls.crt", "tls.key", "ca.crt");
        var workerDirectory = Write(Path.Combine(directory, "worker-tls"), clientTls!, "client.crt", "client.key", "ca.crt");
        var host = new GatewayHost(new GatewayOptions
        {
            PoolName = name,
            PoolNamespace = "default",
            ListenEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            MetricsEndPoint = null,
            WorkerPort = Fleet.Port,
            ServerTlsDirectory = tls,
            WorkerTlsDirectory = workerDirectory,
            ActivityReportInterval = TimeSpan.FromMilliseconds(500),
        }, Client, NullLoggerFactory.Instance, meterName: $"e2e-{name}-{Guid.NewGuid():N}");
        var run = host.RunAsync(_stop.Token);
        _gateways.Add((host, run, directory));
        await host.Started.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        await host.Directory.Informer.WaitForSyncAsync(Ct).WaitAsync(TimeSpan.FromSeconds(30), Ct);
        Assert.True(host.Health.IsReady);
        return host;
    }

    /// <summary>POST /api/v1/workers/allocate as <paramref name="user"/>; the response body.</summary>
    public async Task<Allocation> AllocateAsync(string pool, string user, string jobId)
    {
        var body = await PostAsync("/api/v1/workers/allocate", user, $$"""{"poolName":"{{pool}}","namespace":"default","ttl":"30m","jobId":"{{jobId}}"}""");
        string Decode(string key) => Encoding.ASCII.GetString(Convert.FromBase64String(body[key]!.GetValue<string>()));
        return new Allocation(
            body["token"]!.GetValue<string>(),
            body["workerName"]!.GetValue<string>(),
            X509Certificate2.CreateFromPem(Decode("clientCert"), Decode("clientKey")),
            X509Certificate2.CreateFromPem(Decode("caCert")));
    }

    public Task ReleaseAsync(string token, string user) => PostAsync("/api/v1/workers/release", user, $$"""{"token":"{{token}}"}""");

    public async Task<T?> WaitForAsync<T>(string name, Func<T?, bool> done)
        where T : class, IKubernetesResource<T>
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(90));
        var api = Client.For<T>();
        while (true)
        {
            var current = await api.TryGetAsync("default", name, timeout.Token);
            if (done(current))
            {
                return current;
            }

            await foreach (var change in api.WatchAsync("default", new WatchOptions { ResourceVersion = current?.Metadata.ResourceVersion ?? "0", FieldSelector = $"metadata.name={name}" }, timeout.Token))
            {
                current = change.Type == WatchEventType.Deleted ? null : change.Object;
                if (done(current))
                {
                    return current;
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var (host, run, _) in _gateways)
        {
            await run.WaitAsync(TimeSpan.FromSeconds(60), CancellationToken.None);
            await host.DisposeAsync();
        }

        try
        {
            TestContext.Current.TestOutputHelper?.WriteLine(Controller.Log);
        }
        catch (InvalidOperationException)
        {
            // No test output any more.
        }

        await Controller.DisposeAsync();
        await Fleet.DisposeAsync();
        Client.Dispose();
        Http.Dispose();
        await Server.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
        _stop.Dispose();
    }

    private async Task<JsonNode> PostAsync(string path, string user, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Controller.ApiAddress, path)) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", $"{user}-token");
        using var response = await Http.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    private static string Text(Secret secret, string key) => Encoding.ASCII.GetString(secret.Data![key]);

    private static string Write(string directory, Secret secret, params string[] keys)
    {
        Directory.CreateDirectory(directory);
        foreach (var key in keys)
        {
            File.WriteAllText(Path.Combine(directory, key), Text(secret, key));
        }

        return directory;
    }
}

/// <summary>What the allocation API handed out.</summary>
internal sealed record Allocation(string Token, string WorkerName, X509Certificate2 Certificate, X509Certificate2 Root);
