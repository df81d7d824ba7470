using BuildKitController.Testing.FakeKubernetes;

namespace BuildKitController.Testing.Tests.FakeKubernetes;

/// <summary>A started fake server and a TLS client for it, disposed together.</summary>
internal sealed class TestCluster : IAsyncDisposable
{
    private TestCluster(FakeApiServer server)
    {
        Server = server;
        Kube = new Kube(server.CreateHttpClient());
    }

    public FakeApiServer Server { get; }

    public Kube Kube { get; }

    public static async Task<TestCluster> StartAsync(FakeApiServerOptions? options = null) =>
        new(await FakeApiServer.StartAsync(options, TestContext.Current.CancellationToken));

    public void Deconstruct(out FakeApiServer server, out Kube kube)
    {
        server = Server;
        kube = Kube;
    }

    public async ValueTask DisposeAsync()
    {
        Kube.Dispose();
        await Server.DisposeAsync();
    }
}
