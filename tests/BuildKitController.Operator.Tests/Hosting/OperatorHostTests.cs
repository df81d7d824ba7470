using System.Net;
using System.Net.Sockets;
using BuildKitController.Core.Api.V1Alpha1;
using BuildKitController.Hosting.Metrics;
using BuildKitController.Operator.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using static BuildKitController.Operator.Tests.Hosting.HostTesting;

namespace BuildKitController.Operator.Tests.Hosting;

public sealed class OperatorHostTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Readiness_follows_the_informers_and_metrics_count_workers_by_pool_and_phase()
    {
        await using var server = await StartServerAsync();
        using var admin = AdminClient(server);
        await CreatePoolAsync(admin, "ci");
        await CreateWorkerAsync(admin, "ci-1", "ci");
        var listing = server.Faults.Hold(r => r.Resource == "buildkitworkers" && r.Verb == "list");
        var kubeconfig = await server.WriteKubeconfigAsync(Path.Combine(Path.GetTempPath(), $"kubeconfig-{Guid.NewGuid():N}"), Ct);
        try
        {
            // The public constructor: configuration from --kubeconfig.
            using var host = new OperatorHost(Options() with { Kubeconfig = kubeconfig }, OperatorControllers.Default, NullLoggerFactory.Instance);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            var run = host.RunAsync(stop.Token);
            await host.Started.WaitAsync(Ct);
            Assert.NotEqual(host.MetricsAddress, host.HealthProbeAddress);

            Assert.Equal((200, "ok\n"), Pick(await GetAsync(host.HealthProbeAddress, "/healthz")));
            await listing.WaitForHeldAsync(1, Ct);
            var (status, body, _) = await GetAsync(host.HealthProbeAddress, "/readyz");
            Assert.Equal(503, status);
            Assert.Contains("buildkitworker", body, StringComparison.Ordinal);

            listing.Release();
            await WaitForWorkerAsync(admin, "ci-1", w => w.Status?.Phase == WorkerPhases.Idle);
            Assert.Equal((200, "ok\n"), Pick(await GetAsync(host.HealthProbeAddress, "/readyz")));

            // The worker informer delivers events in order: once the controller reacts to a later worker (adding its
            // finalizer), its cache has seen ci-1 Idle, so the scrape below is deterministic.
            await CreateWorkerAsync(admin, "sentinel", "no-such-pool");
            await WaitForWorkerAsync(admin, "sentinel", w => w.Metadata.Finalizers?.Contains(BuildKitWorker.Finalizer) == true);
            var (metricsStatus, metrics, contentType) = await GetAsync(host.MetricsAddress, "/metrics");
            Assert.Equal(200, metricsStatus);
            Assert.Equal(PrometheusExporter.ContentType, contentType);
            Assert.Contains("# TYPE buildkit_workers_total gauge\n", metrics, StringComparison.Ordinal);
            Assert.Contains("buildkit_workers_total{namespace=\"default\",phase=\"idle\",pool=\"ci\"} 1\n", metrics, StringComparison.Ordinal);
            Assert.Contains("buildkit_workers_total{namespace=\"default\",phase=\"allocated\",pool=\"ci\"} 0\n", metrics, StringComparison.Ordinal);
            Assert.Contains("controller_runtime_reconcile_total{", metrics, StringComparison.Ordinal);

            // Unknown paths and methods.
            Assert.Equal(404, (await GetAsync(host.MetricsAddress, "/nope")).Status);
            Assert.Equal(404, (await GetAsync(host.HealthProbeAddress, "/metrics")).Status);

            await stop.CancelAsync();
            await run.WaitAsync(Bound, Ct);
            Assert.Equal(new ProbeResult(false, "shutting down"), host.Readiness);
            Assert.False(host.Liveness.Healthy);
        }
        finally
        {
            File.Delete(kubeconfig);
        }
    }

    [Fact]
    public async Task Shutdown_is_bounded_even_when_a_controller_ignores_cancellation()
    {
        await using var server = await StartServerAsync();
        var release = new TaskCompletionSource();
        var stuck = new FakeController("stuck") { HasSynced = true, IgnoreCancellationUntil = release.Task };
        var polite = new FakeController("polite") { HasSynced = true };
        using var host = CreateHost(server, Options() with { GracefulShutdownTimeout = TimeSpan.FromMilliseconds(200) }, [_ => stuck, _ => polite]);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var run = host.RunAsync(stop.Token);
        await Task.WhenAll(stuck.Started, polite.Started, host.Started).WaitAsync(Ct);
        Assert.Equal(200, (await GetAsync(host.HealthProbeAddress, "/readyz")).Status);

        await stop.CancelAsync();
        await run.WaitAsync(Bound, Ct);

        Assert.True(polite.WasCancelled);
        Assert.True(polite.Stopped.IsCompleted);
        Assert.True(stuck.WasCancelled);
        Assert.False(stuck.Stopped.IsCompleted);
        release.SetResult();
        await stuck.Stopped.WaitAsync(Ct);
    }

    [Fact]
    public async Task A_failing_controller_stops_the_others_and_fails_the_run()
    {
        await using var server = await StartServerAsync();
        var polite = new FakeController("polite");
        var failing = new FakeController("failing") { Failure = new InvalidOperationException("reconciler exploded") };
        using var host = CreateHost(server, Options(), [_ => polite, _ => failing]);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.RunAsync(Ct).WaitAsync(Bound, Ct));

        Assert.Equal("reconciler exploded", error.Message);
        Assert.True(polite.WasCancelled);
    }

    [Fact]
    public async Task Controllers_are_created_from_the_factories_with_the_host_context()
    {
        await using var server = await StartServerAsync();
        ControllerContext? seen = null;
        var controller = new FakeController("probe") { HasSynced = true };
        var options = Options() with { WatchNamespace = "team-a", MaxConcurrentReconciles = 7 };
        using var host = CreateHost(server, options, [context => { seen = context; return controller; }]);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var run = host.RunAsync(stop.Token);
        await controller.Started.WaitAsync(Ct);

        Assert.NotNull(seen);
        Assert.Same(options, seen.Options);
        Assert.Same(host.Metrics, seen.Metrics);
        Assert.Same(TimeProvider.System, seen.Time);
        Assert.Equal(7, OperatorControllers.Reconciling(seen.Options).MaxConcurrentReconciles);

        await stop.CancelAsync();
        await run.WaitAsync(Bound, Ct);
    }

    [Fact]
    public async Task A_port_in_use_fails_the_start_with_an_IO_error()
    {
        await using var server = await StartServerAsync();
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var controller = new FakeController("never");
        using var host = CreateHost(server, Options() with { HealthProbeBindAddress = new BindAddress("127.0.0.1", port) }, [_ => controller]);

        await Assert.ThrowsAnyAsync<IOException>(() => host.RunAsync(Ct).WaitAsync(Bound, Ct));
        await Assert.ThrowsAnyAsync<IOException>(() => host.Started);
        Assert.False(controller.Started.IsCompleted);
    }

    [Fact]
    public async Task Disabled_servers_are_not_started()
    {
        await using var server = await StartServerAsync();
        var controller = new FakeController("only") { HasSynced = true };
        using var host = CreateHost(server, Options() with { MetricsBindAddress = BindAddress.Disabled, HealthProbeBindAddress = BindAddress.Disabled }, [_ => controller]);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var run = host.RunAsync(stop.Token);
        await Task.WhenAll(host.Started, controller.Started).WaitAsync(Ct);

        Assert.Null(host.MetricsAddress);
        Assert.Null(host.HealthProbeAddress);
        Assert.Equal(new ProbeResult(true, "ok"), host.Readiness);

        await stop.CancelAsync();
        await run.WaitAsync(Bound, Ct);
    }

    [Fact]
    public async Task Without_controllers_the_host_still_runs_until_cancelled()
    {
        await using var server = await StartServerAsync();
        using var host = CreateHost(server, Options(), []);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var run = host.RunAsync(stop.Token);
        await host.Started.WaitAsync(Ct);

        Assert.Equal((200, "ok\n"), Pick(await GetAsync(host.HealthProbeAddress, "/readyz")));
        Assert.False(run.IsCompleted);

        await stop.CancelAsync();
        await run.WaitAsync(Bound, Ct);
    }

    private static (int Status, string Body) Pick((int Status, string Body, string? ContentType) response) => (response.Status, response.Body);
}
