using System.Security.Cryptography.X509Certificates;
using BuildKitController.Core.Allocation;
using BuildKitController.Core.Api.V1Alpha1;
using BuildKitController.Gateway.Tests.Support;
using BuildKitController.Testing.StandInWorker;

namespace BuildKitController.Gateway.Tests.Listener;

public sealed class RoutingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Each_allocation_reaches_its_own_worker_and_all_connections_of_one_allocation_share_it()
    {
        await using var h = await GatewayHarness.StartAsync();
        var (first, second) = (AllocationToken.Create(), AllocationToken.Create());
        await h.AddAllocatedWorkerAsync("ci-worker-0", first);
        await h.AddAllocatedWorkerAsync("ci-worker-1", second);
        using var root = X509Certificate2.CreateFromPem(h.Pki.Root.CertificatePem);
        using var firstCert = h.Pki.Allocation(first);
        using var secondCert = h.Pki.Allocation(second);

        await using (var a = await StandInClient.ConnectAsync(h.EndPoint, firstCert, root, Ct))
        await using (var b = await StandInClient.ConnectAsync(h.EndPoint, secondCert, root, Ct))
        {
            Assert.Equal("ci-worker-0", await a.AskAsync("IDENTITY", Ct));
            Assert.Equal("ci-worker-1", await b.AskAsync("IDENTITY", Ct));

            // ALPN: the client negotiated h2 with the gateway, and the gateway offered it to the worker.
            Assert.Equal("h2", a.Stream.NegotiatedApplicationProtocol.ToString());
            Assert.Equal("h2", await a.AskAsync("ALPN", Ct));
        }

        var clients = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => StandInClient.ConnectAsync(h.EndPoint, firstCert, root, Ct)));
        try
        {
            var names = await Task.WhenAll(clients.Select(c => c.AskAsync("IDENTITY", Ct)));
            Assert.All(names, n => Assert.Equal("ci-worker-0", n));
            Assert.True(h.Fleet["ci-worker-0"].OpenConnections >= 8);
            Assert.Equal(0, h.Fleet["ci-worker-1"].OpenConnections);
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }

        // Either name form alone routes too (the Go controller's CN, or the URI SAN).
        using var cnOnly = h.Pki.Allocation(second, uri: false);
        using var uriOnly = h.Pki.Allocation(second, commonName: false);
        await using (var c = await StandInClient.ConnectAsync(h.EndPoint, cnOnly, root, Ct))
        {
            Assert.Equal("ci-worker-1", await c.AskAsync("IDENTITY", Ct));
        }

        await using (var c = await StandInClient.ConnectAsync(h.EndPoint, uriOnly, root, Ct))
        {
            Assert.Equal("ci-worker-1", await c.AskAsync("IDENTITY", Ct));
        }

        await h.Host.Listener!.WhenIdleAsync(Ct).WaitAsync(TimeSpan.FromSeconds(30), Ct);
        var scrape = h.Host.ScrapeMetrics();
        Assert.Equal(12, Refusals.Metric(scrape, """buildkit_gateway_connections_total{pool="ci",status="success"}"""));
        Assert.Equal(0, Refusals.Metric(scrape, """buildkit_gateway_active_connections{pool="ci"}"""));
        Assert.Equal(12, Refusals.Metric(scrape, """buildkit_gateway_connection_duration_seconds_count{pool="ci"}"""));
        Assert.Equal(12, Refusals.Metric(scrape, """buildkit_gateway_route_lookup_duration_seconds_count{pool="ci"}"""));
    }

    [Fact]
    public async Task A_released_expired_foreign_or_unready_allocation_is_refused()
    {
        await using var h = await GatewayHarness.StartAsync();
        using var root = X509Certificate2.CreateFromPem(h.Pki.Root.CertificatePem);
        var released = AllocationToken.Create();
        await h.AddAllocatedWorkerAsync("ci-worker-0", released);
        using var releasedCert = h.Pki.Allocation(released);
        await using (var before = await StandInClient.ConnectAsync(h.EndPoint, releasedCert, root, Ct))
        {
            Assert.Equal("ci-worker-0", await before.AskAsync("IDENTITY", Ct));
        }

        // Release deletes the worker; the watch takes it out of the cache, and new connections are refused.
        await h.Client.For<BuildKitWorker>().DeleteAsync(GatewayHarness.Namespace, "ci-worker-0", null, Ct);
        await h.WaitForCacheAsync(() => h.Host.Directory.Informer.Cache.Get(GatewayHarness.Namespace, "ci-worker-0") is null);
        Assert.True(await Refusals.IsRefusedAsync(h.EndPoint, releasedCert, root, Ct));

        var expired = AllocationToken.Create();
        await h.AddAllocatedWorkerAsync("ci-worker-1", expired, expiresAt: DateTimeOffset.UtcNow.AddMinutes(-1));
        using var expiredCert = h.Pki.Allocation(expired);
        Assert.True(await Refusals.IsRefusedAsync(h.EndPoint, expiredCert, root, Ct));

        // A worker labelled for this pool but belonging to another (defence in depth against a wrong label).
        var foreign = AllocationToken.Create();
        var worker = await h.AddAllocatedWorkerAsync("ci-worker-2", foreign);
        await h.Client.For<BuildKitWorker>().UpdateAsync(worker with { Spec = worker.Spec with { PoolRef = new PoolReference { Name = "other" } } }, Ct);
        await h.WaitForCacheAsync(() => h.Host.Directory.Informer.Cache.Get(GatewayHarness.Namespace, "ci-worker-2")?.Spec.PoolRef.Name == "other");
        using var foreignCert = h.Pki.Allocation(foreign);
        Assert.True(await Refusals.IsRefusedAsync(h.EndPoint, foreignCert, root, Ct));

        var unready = AllocationToken.Create();
        await h.AddAllocatedWorkerAsync("ci-worker-3", unready, phase: WorkerPhases.Provisioning, podIp: false);
        using var unreadyCert = h.Pki.Allocation(unready);
        Assert.True(await Refusals.IsRefusedAsync(h.EndPoint, unreadyCert, root, Ct));

        using var unknownCert = h.Pki.Allocation(AllocationToken.Create());
        Assert.True(await Refusals.IsRefusedAsync(h.EndPoint, unknownCert, root, Ct));

        await h.Host.Listener!.WhenIdleAsync(Ct).WaitAsync(TimeSpan.FromSeconds(30), Ct);
        var scrape = h.Host.ScrapeMetrics();
        Assert.Equal(2, Refusals.Metric(scrape, """buildkit_gateway_rejections_total{pool="ci",reason="unknown_allocation"}"""));
        Assert.Equal(1, Refusals.Metric(scrape, """buildkit_gateway_rejections_total{pool="ci",reason="expired"}"""));
        Assert.Equal(1, Refusals.Metric(scrape, """buildkit_gateway_rejections_total{pool="ci",reason="other_pool"}"""));
        Assert.Equal(1, Refusals.Metric(scrape, """buildkit_gateway_rejections_total{pool="ci",reason="worker_not_ready"}"""));
        Assert.Equal(5, Refusals.Metric(scrape, """buildkit_gateway_connections_total{pool="ci",status="lookup_failed"}"""));
        Assert.Equal(1, h.Fleet["ci-worker-0"].AuthenticatedConnections);
        Assert.Equal(0, h.Fleet["ci-worker-1"].AcceptedConnections);
        Assert.Equal(0, h.Fleet["ci-worker-2"].AcceptedConnections);
    }

    [Fact]
    public async Task Certificates_of_another_pool_expired_from_an_unknown_CA_or_missing_are_refused()
    {
        await using var h = await GatewayHarness.StartAsync();
        using var root = X509Certificate2.CreateFromPem(h.Pki.Root.CertificatePem);
        var token = AllocationToken.Create();
        await h.AddAllocatedWorkerAsync("ci-worker-0", token);

        // Another pool under the same root CA, with the very same token in its certificate.
        using var otherPool = new PoolPki("other", h.Pki.Root);
        using var otherPoolCert = otherPool.Allocation(token);
        Assert.True(await Refusals.IsRefusedAsync(h.EndPoint, otherPoolCert, root, Ct));

        using var expiredCert = h.Pki.Allocation(token, lifetime: TimeSpan.FromHours(1), issuedAt: DateTimeOffset.UtcNow.AddHours(-3));
        Assert.True(await Refusals.IsRefusedAsync(h.EndPoint, expiredCert, root, Ct));

        using var stranger = new PoolPki("ci");
        using var strangerCert = stranger.Allocation(token);
        Assert.True(await Refusals.IsRefusedAsync(h.EndPoint, strangerCert, root, Ct));

        Assert.True(await Refusals.IsRefusedAsync(h.EndPoint, null, root, Ct));

        // A client certificate of the right CA without an allocation token.
        using var noToken = h.Pki.Allocation(token, commonName: false, uri: false);
        Assert.True(await Refusals.IsRefusedAsync(h.EndPoint, noToken, root, Ct));

        // The gateway's own client certificate (worker CA) is not an allocation certificate either.
        using var gatewayClient = X509Certificate2.CreateFromPem(h.Pki.GatewayClient.CertificatePem, h.Pki.GatewayClient.KeyPem);
        Assert.True(await Refusals.IsRefusedAsync(h.EndPoint, gatewayClient, root, Ct));

        using var valid = h.Pki.Allocation(token);
        await using (var client = await StandInClient.ConnectAsync(h.EndPoint, valid, root, Ct))
        {
            Assert.Equal("ci-worker-0", await client.AskAsync("IDENTITY", Ct));
        }

        await h.Host.Listener!.WhenIdleAsync(Ct).WaitAsync(TimeSpan.FromSeconds(30), Ct);
        var scrape = h.Host.ScrapeMetrics();
        Assert.Equal(4, Refusals.Metric(scrape, """buildkit_gateway_rejections_total{pool="ci",reason="untrusted_cert"}"""));
        Assert.Equal(1, Refusals.Metric(scrape, """buildkit_gateway_rejections_total{pool="ci",reason="no_cert"}"""));
        Assert.Equal(1, Refusals.Metric(scrape, """buildkit_gateway_rejections_total{pool="ci",reason="no_token"}"""));
        Assert.Equal(1, h.Fleet["ci-worker-0"].AcceptedConnections);
    }

    [Fact]
    public async Task A_client_certificate_cannot_reach_a_worker_directly()
    {
        await using var h = await GatewayHarness.StartAsync();
        var token = AllocationToken.Create();
        await h.AddAllocatedWorkerAsync("ci-worker-0", token);
        using var allocation = h.Pki.Allocation(token);
        using var workerCa = X509Certificate2.CreateFromPem(h.Pki.WorkerCa.CertificatePem);
        Assert.True(await Refusals.IsRefusedAsync(h.Fleet["ci-worker-0"].EndPoint, allocation, workerCa, Ct, checkName: false));
        Assert.Equal(1, h.Fleet["ci-worker-0"].AcceptedConnections);
        Assert.Equal(0, h.Fleet["ci-worker-0"].AuthenticatedConnections);
    }
}
