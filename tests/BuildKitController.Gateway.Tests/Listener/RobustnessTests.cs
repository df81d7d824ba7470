using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using BuildKitController.Core.Allocation;
using BuildKitController.Gateway.Tests.Support;
using BuildKitController.Testing.StandInWorker;
using BuildKitController.Testing.Time;

namespace BuildKitController.Gateway.Tests.Listener;

public sealed class RobustnessTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Garbage_a_stalled_handshake_and_a_client_that_stops_reading_do_not_affect_other_connections()
    {
        await using var h = await GatewayHarness.StartAsync();
        var token = AllocationToken.Create();
        await h.AddAllocatedWorkerAsync("ci-worker-0", token);
        using var root = X509Certificate2.CreateFromPem(h.Pki.Root.CertificatePem);
        using var certificate = h.Pki.Allocation(token);

        // Plain text: the gateway closes it without a TLS exchange.
        using (var garbage = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            await garbage.ConnectAsync(h.EndPoint, Ct);
            await garbage.SendAsync(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: x\r\n\r\n"), Ct);
            // Closed (FIN, or RST because the request was left unread).
            var buffer = new byte[256];
            try
            {
                Assert.Equal(0, await garbage.ReceiveAsync(buffer, Ct));
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionReset)
            {
            }
        }

        // A client that starts a TLS record and then says nothing more holds only its own connection.
        using var stalled = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await stalled.ConnectAsync(h.EndPoint, Ct);
        await stalled.SendAsync(new byte[] { 0x16, 0x03, 0x01 }, Ct);

        // A client that asks for 16 MiB and does not read: back-pressure stops its worker, nothing else.
        const long size = 16L << 20;
        await using var stuck = await StandInClient.ConnectAsync(h.EndPoint, certificate, root, Ct);
        await stuck.SendAsync($"STREAM {size}", Ct);

        await using (var other = await StandInClient.ConnectAsync(h.EndPoint, certificate, root, Ct))
        {
            Assert.Equal("ci-worker-0", await other.AskAsync("IDENTITY", Ct));
            Assert.Equal("still fine", await other.AskAsync("ECHO still fine", Ct));
            await other.SendAsync("STREAM 1048576", Ct);
            Assert.Equal(1L << 20, await other.ReadToEndAsync(Ct));
        }

        // The stuck reader loses nothing: every byte arrives, in order, once it reads.
        Assert.Equal(size, await stuck.ReadToEndAsync(Ct));
        var scrape = h.Host.ScrapeMetrics();
        Assert.Equal(1, Refusals.Metric(scrape, """buildkit_gateway_rejections_total{pool="ci",reason="non_tls"}"""));
        Assert.Equal(1, Refusals.Metric(scrape, """buildkit_gateway_handshaking_connections{pool="ci"}"""));
    }

    [Fact]
    public async Task Connections_beyond_the_cap_are_closed_at_once_and_the_others_are_unaffected()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var h = await GatewayHarness.StartAsync(o => o with { MaxConnections = 2 }, time);
        var token = AllocationToken.Create();
        await h.AddAllocatedWorkerAsync("ci-worker-0", token);
        using var root = X509Certificate2.CreateFromPem(h.Pki.Root.CertificatePem);
        using var certificate = h.Pki.Allocation(token);

        // One slot held by a silent client (its handshake timer proves the gateway counted it), one by a proxied client.
        var timers = time.ActiveTimerCount;
        using var silent = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await silent.ConnectAsync(h.EndPoint, Ct);
        await time.WaitForTimersAsync(timers + 1, Ct);
        await using var proxied = await StandInClient.ConnectAsync(h.EndPoint, certificate, root, Ct);
        Assert.Equal("ci-worker-0", await proxied.AskAsync("IDENTITY", Ct));

        Assert.True(await Refusals.IsRefusedAsync(h.EndPoint, certificate, root, Ct));
        Assert.Equal("still here", await proxied.AskAsync("ECHO still here", Ct));
        Assert.Equal(1, Refusals.Metric(h.Host.ScrapeMetrics(), """buildkit_gateway_rejections_total{pool="ci",reason="connection_limit"}"""));
    }

    [Fact]
    public async Task Half_close_travels_both_ways()
    {
        await using var h = await GatewayHarness.StartAsync();
        var token = AllocationToken.Create();
        await h.AddAllocatedWorkerAsync("ci-worker-0", token);
        using var root = X509Certificate2.CreateFromPem(h.Pki.Root.CertificatePem);
        using var certificate = h.Pki.Allocation(token);

        // Client → worker: the client sends and half-closes, the worker sees the end and still answers.
        await using (var client = await StandInClient.ConnectAsync(h.EndPoint, certificate, root, Ct))
        {
            await client.SendAsync("SINK", Ct);
            var payload = new byte[300_000];
            await client.Stream.WriteAsync(payload, Ct);
            await client.ShutdownWriteAsync();
            Assert.Equal("RECEIVED 300000", await client.ReadLineAsync(Ct));
            Assert.Null(await client.ReadLineAsync(Ct));
        }

        // Worker → client: the worker half-closes after its data, the client can still talk to it.
        await using (var client = await StandInClient.ConnectAsync(h.EndPoint, certificate, root, Ct))
        {
            await client.SendAsync("STREAM 100000", Ct);
            Assert.Equal(100_000, await client.ReadToEndAsync(Ct));
            await client.Stream.WriteAsync(new byte[5000], Ct);
            await client.ShutdownWriteAsync();
        }

        await h.Host.Listener!.WhenIdleAsync(Ct).WaitAsync(TimeSpan.FromSeconds(30), Ct);
        var scrape = h.Host.ScrapeMetrics();
        Assert.Equal(2, Refusals.Metric(scrape, """buildkit_gateway_connections_closed_total{cause="completed",pool="ci"}"""));
        Assert.True(Refusals.Metric(scrape, """buildkit_gateway_bytes_total{direction="client_to_worker",pool="ci"}""") >= 305_000);
        Assert.True(Refusals.Metric(scrape, """buildkit_gateway_bytes_total{direction="worker_to_client",pool="ci"}""") >= 100_000);
    }

    [Fact]
    public async Task A_thousand_concurrent_connections_are_proxied_at_once()
    {
        const int count = 1000;
        await using var h = await GatewayHarness.StartAsync();
        var (first, second) = (AllocationToken.Create(), AllocationToken.Create());
        await h.AddAllocatedWorkerAsync("ci-worker-0", first);
        await h.AddAllocatedWorkerAsync("ci-worker-1", second);
        using var root = X509Certificate2.CreateFromPem(h.Pki.Root.CertificatePem);
        using var firstCert = h.Pki.Allocation(first);
        using var secondCert = h.Pki.Allocation(second);

        var clients = new StandInClient[count];
        try
        {
            using var handshakes = new SemaphoreSlim(64);
            await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
            {
                await handshakes.WaitAsync(Ct);
                try
                {
                    clients[i] = await StandInClient.ConnectAsync(h.EndPoint, i % 2 == 0 ? firstCert : secondCert, root, Ct);
                }
                finally
                {
                    handshakes.Release();
                }
            }));
            var answers = await Task.WhenAll(clients.Select(c => c.AskAsync("IDENTITY", Ct)));

            // Every connection is open and proxied at the same time, each to its allocation's worker.
            Assert.Equal(count, h.Host.Listener!.ActiveSessions);
            for (var i = 0; i < count; i++)
            {
                Assert.Equal(i % 2 == 0 ? "ci-worker-0" : "ci-worker-1", answers[i]);
            }

            var echoes = await Task.WhenAll(clients.Select((c, i) => c.AskAsync($"ECHO {i}", Ct)));
            Assert.Equal(Enumerable.Range(0, count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), echoes);
        }
        finally
        {
            foreach (var client in clients.Where(c => c is not null))
            {
                await client.DisposeAsync();
            }
        }

        await h.Host.Listener!.WhenIdleAsync(Ct).WaitAsync(TimeSpan.FromSeconds(60), Ct);
        Assert.Equal(count, Refusals.Metric(h.Host.ScrapeMetrics(), """buildkit_gateway_connections_total{pool="ci",status="success"}"""));
    }
}
