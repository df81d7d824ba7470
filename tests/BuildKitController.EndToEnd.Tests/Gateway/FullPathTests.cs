using BuildKitController.Core.Api.V1Alpha1;
using BuildKitController.EndToEnd.Tests.Support;
using BuildKitController.Testing.StandInWorker;

namespace BuildKitController.EndToEnd.Tests.Gateway;

/// <summary>Client → gateway → worker with certificates from the real allocation API.</summary>
public sealed class FullPathTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Allocations_from_the_API_reach_their_own_workers_through_the_gateway_and_a_release_closes_the_door()
    {
        await using var h = await EndToEndHarness.StartAsync();
        var gateway = await h.CreatePoolWithGatewayAsync("ci", "alice", "bob");
        var alice = await h.AllocateAsync("ci", "alice", "build-1");
        var bob = await h.AllocateAsync("ci", "bob", "build-2");
        Assert.NotEqual(alice.WorkerName, bob.WorkerName);

        // Several connections of one allocation (buildx opens more than one) all reach its worker.
        var clients = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => StandInClient.ConnectAsync(gateway.ListenEndPoint!, alice.Certificate, alice.Root, Ct)));
        try
        {
            Assert.All(await Task.WhenAll(clients.Select(c => c.AskAsync("IDENTITY", Ct))), name => Assert.Equal(alice.WorkerName, name));
            Assert.Equal("h2", await clients[0].AskAsync("ALPN", Ct));
            await using var other = await StandInClient.ConnectAsync(gateway.ListenEndPoint!, bob.Certificate, bob.Root, Ct);
            Assert.Equal(bob.WorkerName, await other.AskAsync("IDENTITY", Ct));

            // The controller sees the gateway's activity on the worker.
            await h.WaitForAsync<BuildKitWorker>(alice.WorkerName, w => w?.Status?.ActiveConnections == 4 && w.Status.LastActivityAt is not null);
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }

        // Released: the worker goes, and new connections with the certificate are refused.
        await h.ReleaseAsync(alice.Token, "alice");
        await h.WaitForAsync<BuildKitWorker>(alice.WorkerName, w => w is null);
        while (true)
        {
            var change = gateway.Directory.NextChangeAsync(Ct);
            if (gateway.Directory.Informer.Cache.Get("default", alice.WorkerName) is null)
            {
                break;
            }

            await change.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        }

        Assert.True(await StandInClient.IsRefusedAsync(gateway.ListenEndPoint!, alice.Certificate, alice.Root, Ct));
        await using (var still = await StandInClient.ConnectAsync(gateway.ListenEndPoint!, bob.Certificate, bob.Root, Ct))
        {
            Assert.Equal(bob.WorkerName, await still.AskAsync("IDENTITY", Ct));
        }
    }

    [Fact]
    public async Task A_certificate_issued_for_another_pool_is_refused()
    {
        await using var h = await EndToEndHarness.StartAsync();
        var ci = await h.CreatePoolWithGatewayAsync("ci", "alice");
        var other = await h.CreatePoolWithGatewayAsync("other", "alice");
        var forOther = await h.AllocateAsync("other", "alice", "build-x");
        Assert.True(await StandInClient.IsRefusedAsync(ci.ListenEndPoint!, forOther.Certificate, forOther.Root, Ct));
        await using var client = await StandInClient.ConnectAsync(other.ListenEndPoint!, forOther.Certificate, forOther.Root, Ct);
        Assert.Equal(forOther.WorkerName, await client.AskAsync("IDENTITY", Ct));
    }
}
