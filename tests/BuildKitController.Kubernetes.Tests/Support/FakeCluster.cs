using BuildKitController.Kubernetes.Client;
using BuildKitController.Kubernetes.Configuration;
using BuildKitController.Testing.FakeKubernetes;

namespace BuildKitController.Kubernetes.Tests.Support;

/// <summary>A fake API server plus a client configured from the kubeconfig it writes.</summary>
internal sealed class FakeCluster : IAsyncDisposable
{
    private readonly List<KubernetesClient> _clients = [];

    private FakeCluster(FakeApiServer server) => Server = server;

    public FakeApiServer Server { get; }

    public static async Task<FakeCluster> StartAsync(FakeApiServerOptions? options = null) =>
        new(await FakeApiServer.StartAsync(options, TestContext.Current.CancellationToken));

    /// <summary>A client with retries that do not wait (unless a test passes its own options).</summary>
    public KubernetesClient CreateClient(KubernetesClientOptions? options = null, TimeProvider? timeProvider = null, string? token = null, string? defaultNamespace = "default")
    {
        var configuration = KubeconfigLoader.LoadFromString(Server.CreateKubeconfig(token, defaultNamespace: defaultNamespace), timeProvider: timeProvider);
        var client = new KubernetesClient(configuration, options ?? FastOptions(), timeProvider);
        _clients.Add(client);
        return client;
    }

    public KubernetesClient CreateClient(KubernetesClientConfiguration configuration, KubernetesClientOptions? options = null, TimeProvider? timeProvider = null)
    {
        var client = new KubernetesClient(configuration, options ?? FastOptions(), timeProvider);
        _clients.Add(client);
        return client;
    }

    public static KubernetesClientOptions FastOptions() => new()
    {
        RetryBaseDelay = TimeSpan.FromMilliseconds(1),
        RetryMaxDelay = TimeSpan.FromMilliseconds(5),
        QueriesPerSecond = 0,
    };

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        await Server.DisposeAsync();
    }
}
