using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using BuildKitController.Core.Allocation;
using BuildKitController.Core.Api.V1Alpha1;
using BuildKitController.Gateway.Tests.Support;
using BuildKitController.Testing.StandInWorker;

namespace BuildKitController.Gateway.Tests.Activity;

public sealed class ActivityReportingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Active_connections_and_last_activity_reach_the_worker_status_under_the_gateway_field_manager()
    {
        await using var h = await GatewayHarness.StartAsync();
        var token = AllocationToken.Create();
        var worker = await h.AddAllocatedWorkerAsync("ci-worker-0", token);
        using var root = X509Certificate2.CreateFromPem(h.Pki.Root.CertificatePem);
        using var certificate = h.Pki.Allocation(token);
        var connectedAt = DateTimeOffset.UtcNow.AddSeconds(-1);

        var first = await StandInClient.ConnectAsync(h.EndPoint, certificate, root, Ct);
        await using var second = await StandInClient.ConnectAsync(h.EndPoint, certificate, root, Ct);
        await first.AskAsync("IDENTITY", Ct);
        await second.AskAsync("IDENTITY", Ct);
        var busy = await h.WaitForWorkerAsync("ci-worker-0", w => w?.Status?.ActiveConnections == 2);
        Assert.True(busy!.Status!.LastActivityAt >= connectedAt.AddSeconds(-1));

        // The gateway owns exactly its two fields (server-side apply on /status, manager buildkit-gateway).
        using var http = h.Server.CreateHttpClient(h.Server.AdminToken);
        var raw = JsonNode.Parse(await http.GetStringAsync(new Uri(h.Server.BaseAddress, "apis/buildkit.smrt-devops.net/v1alpha1/namespaces/default/buildkitworkers/ci-worker-0"), Ct))!;
        var entry = raw["metadata"]!["managedFields"]!.AsArray().Single(e => e!["manager"]!.GetValue<string>() == "buildkit-gateway")!;
        Assert.Equal("Apply", entry["operation"]!.GetValue<string>());
        Assert.Equal("status", entry["subresource"]!.GetValue<string>());
        var owned = entry["fieldsV1"]!["f:status"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal);
        Assert.Equal(["f:activeConnections", "f:lastActivityAt"], owned);

        // A controller status write (read-modify-write of the whole status) keeps them.
        var latest = await h.Client.For<BuildKitWorker>().GetAsync(GatewayHarness.Namespace, "ci-worker-0", Ct);
        await h.Client.For<BuildKitWorker>().UpdateStatusAsync(latest with { Status = latest.Status! with { Message = "checked by the controller" } }, Ct);
        var afterController = await h.Client.For<BuildKitWorker>().GetAsync(GatewayHarness.Namespace, "ci-worker-0", Ct);
        Assert.Equal(2, afterController.Status!.ActiveConnections);
        Assert.Equal(WorkerPhases.Allocated, afterController.Status.Phase);

        // Closing connections is reported too (coalesced: the count goes down to 0).
        await first.DisposeAsync();
        await second.DisposeAsync();
        var idle = await h.WaitForWorkerAsync("ci-worker-0", w => w?.Status?.ActiveConnections == 0);
        Assert.Equal("checked by the controller", idle!.Status!.Message);
        Assert.Equal(worker.Status!.PodIP, idle.Status.PodIP);
        // The reporter counts a write once the API server has answered it, which can be after the watch showed the
        // write to this test: the last write may not be counted yet, every earlier one (the busy count) is.
        Assert.True(Refusals.Metric(h.Host.ScrapeMetrics(), """buildkit_gateway_status_writes_total{pool="ci",result="success"}""") >= 1);
    }
}
