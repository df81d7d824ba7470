using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using BuildKitController.Core.Allocation;
using BuildKitController.Gateway.Tests.Support;
using BuildKitController.Testing.StandInWorker;

namespace BuildKitController.Gateway.Tests.Hosting;

public sealed class HealthAndMetricsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Probes_and_metrics_are_served_on_the_metrics_port_and_probes_are_not_counted_as_failed_handshakes()
    {
        await using var h = await GatewayHarness.StartAsync();
        using var http = new HttpClient { BaseAddress = h.Host.MetricsAddress };
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(200, (int)(await http.GetAsync("/healthz", Ct)).StatusCode);
            Assert.Equal(200, (int)(await http.GetAsync("/readyz", Ct)).StatusCode);
        }

        Assert.Equal(404, (int)(await http.GetAsync("/nothing", Ct)).StatusCode);
        Assert.Equal(405, (int)(await http.PostAsync("/metrics", null, Ct)).StatusCode);

        // A TCP probe against the TLS port (what the Go chart did) is not a failed handshake either.
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            await probe.ConnectAsync(h.EndPoint, Ct);
        }

        var token = AllocationToken.Create();
        await h.AddAllocatedWorkerAsync("ci-worker-0", token);
        using var root = X509Certificate2.CreateFromPem(h.Pki.Root.CertificatePem);
        using var certificate = h.Pki.Allocation(token);
        await using (var client = await StandInClient.ConnectAsync(h.EndPoint, certificate, root, Ct))
        {
            await client.SendAsync("STREAM 2097152", Ct);
            Assert.Equal(2L << 20, await client.ReadToEndAsync(Ct));
        }

        await h.Host.Listener!.WhenIdleAsync(Ct).WaitAsync(TimeSpan.FromSeconds(30), Ct);
        var response = await http.GetAsync("/metrics", Ct);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
        var scrape = await response.Content.ReadAsStringAsync(Ct);
        Assert.Contains("# TYPE buildkit_gateway_connections_total counter", scrape, StringComparison.Ordinal);
        Assert.Contains("# TYPE buildkit_gateway_active_connections gauge", scrape, StringComparison.Ordinal);
        Assert.Contains("# TYPE buildkit_gateway_connection_duration_seconds histogram", scrape, StringComparison.Ordinal);
        Assert.Contains("""buildkit_gateway_connection_duration_seconds_bucket{pool="ci",le="1"}""", scrape, StringComparison.Ordinal);
        Assert.Equal(1, Refusals.Metric(scrape, """buildkit_gateway_connections_total{pool="ci",status="success"}"""));
        Assert.Equal(0, Refusals.Metric(scrape, """buildkit_gateway_connections_total{pool="ci",status="handshake_failed"}"""));
        Assert.Equal(1, Refusals.Metric(scrape, """buildkit_gateway_rejections_total{pool="ci",reason="closed_before_tls"}"""));
        Assert.True(Refusals.Metric(scrape, """buildkit_gateway_bytes_total{direction="worker_to_client",pool="ci"}""") >= 2 << 20);
        Assert.Equal(1, Refusals.Metric(scrape, """buildkit_gateway_handshake_duration_seconds_count{pool="ci"}"""));
    }

    [Fact]
    public async Task Readiness_waits_for_certificates()
    {
        await using var h = await GatewayHarness.StartAsync(o => o with { WorkerTlsDirectory = Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}") });
        using var http = new HttpClient { BaseAddress = h.Host.MetricsAddress };
        var ready = await http.GetAsync("/readyz", Ct);
        Assert.Equal(503, (int)ready.StatusCode);
        Assert.Contains("worker client certificate not loaded", await ready.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(200, (int)(await http.GetAsync("/healthz", Ct)).StatusCode);

        // Without its client certificate the gateway cannot open worker hops, and says so.
        var token = AllocationToken.Create();
        await h.AddAllocatedWorkerAsync("ci-worker-0", token);
        using var root = X509Certificate2.CreateFromPem(h.Pki.Root.CertificatePem);
        using var certificate = h.Pki.Allocation(token);
        Assert.True(await Refusals.IsRefusedAsync(h.EndPoint, certificate, root, Ct));
        await h.Host.Listener!.WhenIdleAsync(Ct).WaitAsync(TimeSpan.FromSeconds(30), Ct);
        Assert.Equal(1, Refusals.Metric(h.Host.ScrapeMetrics(), """buildkit_gateway_connections_total{pool="ci",status="no_worker_tls"}"""));
    }
}
