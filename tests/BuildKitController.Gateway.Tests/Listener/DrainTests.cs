using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using BuildKitController.Core.Allocation;
using BuildKitController.Gateway.Tests.Support;
using BuildKitController.Testing.StandInWorker;
using BuildKitController.Testing.Time;

namespace BuildKitController.Gateway.Tests.Listener;

public sealed class DrainTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Shutdown_stops_accepting_and_keeps_an_open_stream_alive_until_it_finishes()
    {
        await using var h = await GatewayHarness.StartAsync();
        var token = AllocationToken.Create();
        await h.AddAllocatedWorkerAsync("ci-worker-0", token);
        using var root = X509Certificate2.CreateFromPem(h.Pki.Root.CertificatePem);
        using var certificate = h.Pki.Allocation(token);
        using var http = new HttpClient { BaseAddress = h.Host.MetricsAddress };
        Assert.Equal(200, (int)(await http.GetAsync("/readyz", Ct)).StatusCode);

        var client = await StandInClient.ConnectAsync(h.EndPoint, certificate, root, Ct);
        await using (client)
        {
            Assert.Equal("HOLDING", await client.AskAsync("HOLD", Ct));
            var stopping = h.StopAsync();

            // Draining: not ready, and the listener is closed.
            await h.Host.Listener!.DrainStarted.WaitAsync(Ct);
            Assert.Equal(503, (int)(await http.GetAsync("/readyz", Ct)).StatusCode);
            await Assert.ThrowsAnyAsync<Exception>(async () =>
            {
                await using var late = await StandInClient.ConnectAsync(h.EndPoint, certificate, root, Ct);
                if (await late.IsRefusedAsync(Ct))
                {
                    throw new IOException("refused");
                }
            });

            // The open stream goes on: the worker answers, the client talks, and the gateway waits for it.
            h.Fleet["ci-worker-0"].ReleaseHeld();
            Assert.Equal("RELEASED", await client.ReadLineAsync(Ct));
            Assert.Equal("after release", await client.AskAsync("ECHO after release", Ct));
            Assert.False(stopping.IsCompleted);
            await client.ShutdownWriteAsync();
            Assert.Null(await client.ReadLineAsync(Ct));
            await stopping;
        }

        Assert.Equal(1, Refusals.Metric(h.Host.ScrapeMetrics(), """buildkit_gateway_connections_closed_total{cause="completed",pool="ci"}"""));
    }

    [Fact]
    public async Task Connections_still_open_when_the_drain_timeout_passes_are_cut()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var h = await GatewayHarness.StartAsync(o => o with { DrainTimeout = TimeSpan.FromSeconds(30) }, time);
        var token = AllocationToken.Create();
        await h.AddAllocatedWorkerAsync("ci-worker-0", token);
        using var root = X509Certificate2.CreateFromPem(h.Pki.Root.CertificatePem);
        using var certificate = h.Pki.Allocation(token);
        await using var client = await StandInClient.ConnectAsync(h.EndPoint, certificate, root, Ct);
        Assert.Equal("HOLDING", await client.AskAsync("HOLD", Ct));

        var timers = time.ActiveTimerCount;
        var stopping = h.StopAsync();
        await h.Host.Listener!.DrainStarted.WaitAsync(Ct);
        await time.WaitForTimersAsync(timers + 1, Ct);
        Assert.False(stopping.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(30));
        await stopping;
        Assert.True(await client.IsRefusedAsync(Ct));
        Assert.Equal(1, Refusals.Metric(h.Host.ScrapeMetrics(), """buildkit_gateway_connections_closed_total{cause="drain_timeout",pool="ci"}"""));
    }

    [Fact]
    public async Task Handshake_timeout_idle_timeout_and_lifetime_close_connections()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var h = await GatewayHarness.StartAsync(
            o => o with { HandshakeTimeout = TimeSpan.FromSeconds(10), IdleTimeout = TimeSpan.FromMinutes(5), MaxConnectionLifetime = TimeSpan.FromMinutes(30), SweepInterval = TimeSpan.FromSeconds(1) },
            time);
        var token = AllocationToken.Create();
        await h.AddAllocatedWorkerAsync("ci-worker-0", token);
        using var root = X509Certificate2.CreateFromPem(h.Pki.Root.CertificatePem);
        using var certificate = h.Pki.Allocation(token);

        // A silent client is closed when the handshake timeout passes.
        var timers = time.ActiveTimerCount;
        using (var silent = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            await silent.ConnectAsync(h.EndPoint, Ct);
            await time.WaitForTimersAsync(timers + 1, Ct);
            time.Advance(TimeSpan.FromSeconds(10));
            Assert.Equal(0, await silent.ReceiveAsync(new byte[1], Ct));
        }

        // An idle proxied connection is closed after the idle timeout.
        await using (var idle = await StandInClient.ConnectAsync(h.EndPoint, certificate, root, Ct))
        {
            Assert.Equal("ci-worker-0", await idle.AskAsync("IDENTITY", Ct));
            time.Advance(TimeSpan.FromMinutes(4));
            Assert.Equal("alive", await idle.AskAsync("ECHO alive", Ct));
            time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));
            Assert.True(await idle.IsRefusedAsync(Ct));
        }

        // A busy connection is still closed at its maximum lifetime.
        await using (var busy = await StandInClient.ConnectAsync(h.EndPoint, certificate, root, Ct))
        {
            for (var i = 0; i < 8; i++)
            {
                Assert.Equal("busy", await busy.AskAsync("ECHO busy", Ct));
                time.Advance(TimeSpan.FromMinutes(4));
            }

            Assert.True(await busy.IsRefusedAsync(Ct));
        }

        await h.Host.Listener!.WhenIdleAsync(Ct).WaitAsync(TimeSpan.FromSeconds(30), Ct);
        var scrape = h.Host.ScrapeMetrics();
        Assert.Equal(1, Refusals.Metric(scrape, """buildkit_gateway_rejections_total{pool="ci",reason="handshake_timeout"}"""));
        Assert.Equal(1, Refusals.Metric(scrape, """buildkit_gateway_connections_closed_total{cause="idle_timeout",pool="ci"}"""));
        Assert.Equal(1, Refusals.Metric(scrape, """buildkit_gateway_connections_closed_total{cause="max_lifetime",pool="ci"}"""));
    }
}
