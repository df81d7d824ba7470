using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using BuildKitController.Core.Allocation;
using BuildKitController.Core.Api.V1Alpha1;
using BuildKitController.Gateway.Tests.Support;
using BuildKitController.Testing.StandInWorker;

namespace BuildKitController.Gateway.Tests.Proxy;

public sealed class WorkerHopTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_unreachable_worker_is_a_worker_connect_failure_and_TLS_12_clients_with_any_ALPN_get_through()
    {
        await using var h = await GatewayHarness.StartAsync();
        using var root = X509Certificate2.CreateFromPem(h.Pki.Root.CertificatePem);

        // A worker whose pod IP has nothing listening on the worker port.
        var gone = AllocationToken.Create();
        var worker = await h.AddAllocatedWorkerAsync("ci-worker-0", gone, podIp: false, phase: WorkerPhases.Provisioning);
        var updated = await h.Client.For<BuildKitWorker>().UpdateStatusAsync(worker with { Status = worker.Status! with { Phase = WorkerPhases.Allocated, PodIP = "127.0.0.1" } }, Ct);
        await h.WaitForCacheAsync(() => h.Host.Directory.Informer.Cache.Get(GatewayHarness.Namespace, "ci-worker-0")?.Metadata.ResourceVersion == updated.Metadata.ResourceVersion);
        using var goneCert = h.Pki.Allocation(gone);
        Assert.True(await Refusals.IsRefusedAsync(h.EndPoint, goneCert, root, Ct));

        // TLS 1.2 (older gRPC stacks), with h2 and with http/1.1 only: the protocol the client chose reaches the worker.
        var token = AllocationToken.Create();
        await h.AddAllocatedWorkerAsync("ci-worker-1", token);
        using var certificate = h.Pki.Allocation(token);
        await using (var tls12 = await StandInClient.ConnectAsync(h.EndPoint, certificate, root, Ct, tlsVersions: SslProtocols.Tls12))
        {
            Assert.Equal(SslProtocols.Tls12, tls12.Stream.SslProtocol);
            Assert.Equal("h2", await tls12.AskAsync("ALPN", Ct));
            Assert.Equal("ci-worker-1", await tls12.AskAsync("IDENTITY", Ct));
        }

        await using (var http11 = await StandInClient.ConnectAsync(h.EndPoint, certificate, root, Ct, protocols: ["http/1.1"]))
        {
            Assert.Equal("http/1.1", await http11.AskAsync("ALPN", Ct));
        }

        // A foreign certificate is refused (the gateway verifies it at the end of the handshake and closes).
        using var stranger = new PoolPki("ci");
        using var strangerCert = stranger.Allocation(token);
        Assert.True(await StandInClient.IsRefusedAsync(h.EndPoint, strangerCert, root, Ct));

        await h.Host.Listener!.WhenIdleAsync(Ct).WaitAsync(TimeSpan.FromSeconds(30), Ct);
        var scrape = h.Host.ScrapeMetrics();
        Assert.Equal(1, Refusals.Metric(scrape, """buildkit_gateway_connections_total{pool="ci",status="worker_connect_failed"}"""));
        Assert.Equal(1, Refusals.Metric(scrape, """buildkit_gateway_rejections_total{pool="ci",reason="untrusted_cert"}"""));
        Assert.Equal(2, h.Fleet["ci-worker-1"].AcceptedConnections);
    }
}
