using BuildKitController.Core.Api.V1Alpha1;
using BuildKitController.Kubernetes.Errors;
using BuildKitController.Kubernetes.Models.CoordinationV1;
using BuildKitController.Operator.Hosting;
using static BuildKitController.Operator.Tests.Hosting.HostTesting;

namespace BuildKitController.Operator.Tests.Hosting;

public sealed class LeaderElectionTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Only_the_leader_reconciles_and_a_standby_takes_over_when_the_leader_shuts_down()
    {
        await using var server = await StartServerAsync();
        using var admin = AdminClient(server);
        server.AddToken("token-a", "host-a");
        server.AddToken("token-b", "host-b");
        await CreatePoolAsync(admin, "ci");
        using var a = CreateHost(server, LeaderElecting("host-a"), token: "token-a");
        using var b = CreateHost(server, LeaderElecting("host-b"), token: "token-b");
        using var stopA = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        using var stopB = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var runA = a.RunAsync(stopA.Token);
        await WaitForLeaseHolderAsync(admin, "host-a");
        var runB = b.RunAsync(stopB.Token);
        await b.Started.WaitAsync(Ct);
        await server.RequestLog.WaitForAsync(e => e.User == "host-b" && e.Path.EndsWith("/leases/" + OperatorOptions.DefaultLeaderElectionId, StringComparison.Ordinal), Ct);

        // The leader reconciles; the standby only reads the Lease, and says it is ready to take over.
        await CreateWorkerAsync(admin, "ci-1", "ci");
        await WaitForWorkerAsync(admin, "ci-1", w => w.Status?.Phase == WorkerPhases.Idle);
        Assert.True(a.IsLeader);
        Assert.False(b.IsLeader);
        Assert.Equal((200, "ok\n"), Pick(await GetAsync(a.HealthProbeAddress, "/readyz")));
        Assert.Equal((200, "ok: standby, not leading\n"), Pick(await GetAsync(b.HealthProbeAddress, "/readyz")));
        Assert.Contains(server.RequestLog.Entries, e => e.User == "host-a" && IsWrite(e) && e.Path.Contains("/buildkitworkers/", StringComparison.Ordinal));
        Assert.DoesNotContain(server.RequestLog.Entries, e => e.User == "host-b" && IsWrite(e));
        Assert.DoesNotContain(server.RequestLog.Entries, e => e.User == "host-b" && e.Path.StartsWith("/apis/buildkit.smrt-devops.net/", StringComparison.Ordinal));

        // A graceful stop releases the Lease, so the standby takes over without waiting for it to expire.
        await stopA.CancelAsync();
        await runA.WaitAsync(Bound, Ct);
        var stoppedAt = server.RequestLog.Entries.Count;
        Assert.False(a.IsLeader);
        await WaitForLeaseHolderAsync(admin, "host-b");

        await CreateWorkerAsync(admin, "ci-2", "ci");
        await WaitForWorkerAsync(admin, "ci-2", w => w.Status?.Phase == WorkerPhases.Idle);
        Assert.True(b.IsLeader);
        var later = server.RequestLog.Entries.Skip(stoppedAt).ToList();
        Assert.Contains(later, e => e.User == "host-b" && IsWrite(e) && e.StatusCode < 300 && e.Path.Contains("/buildkitworkers/", StringComparison.Ordinal));
        Assert.DoesNotContain(later, e => e.User == "host-a" && IsWrite(e) && !e.Path.Contains("/leases/", StringComparison.Ordinal));

        await stopB.CancelAsync();
        await runB.WaitAsync(Bound, Ct);
    }

    [Fact]
    public async Task Losing_the_lease_stops_the_controllers_and_fails_the_run()
    {
        await using var server = await StartServerAsync();
        using var admin = AdminClient(server);
        var controller = new FakeController("fake") { HasSynced = true };
        var created = 0;
        using var host = CreateHost(server, LeaderElecting("host-a"), [_ =>
        {
            created++;
            return controller;
        }]);
        var run = host.RunAsync(Ct);
        await WaitForLeaseHolderAsync(admin, "host-a");
        await controller.Started.WaitAsync(Ct);

        // Someone else holds the Lease now (as after a partition during which it expired).
        var leases = admin.For<Lease>();
        while (true)
        {
            var lease = await leases.GetAsync(OperatorOptions.DefaultNamespace, OperatorOptions.DefaultLeaderElectionId, Ct);
            lease.Spec = lease.Spec! with { HolderIdentity = "intruder", RenewTime = DateTimeOffset.UtcNow, LeaseDurationSeconds = 3600 };
            try
            {
                await leases.UpdateAsync(lease, Ct);
                break;
            }
            catch (KubernetesConflictException)
            {
                // The leader renewed in between; read again.
            }
        }

        await Assert.ThrowsAsync<LeaderElectionLostException>(() => run.WaitAsync(Bound, Ct));
        Assert.True(controller.WasCancelled);
        Assert.True(controller.Stopped.IsCompleted);
        Assert.Equal(1, created);
        Assert.False(host.IsLeader);
    }

    [Fact]
    public async Task A_standby_never_creates_controllers_and_stops_promptly()
    {
        await using var server = await StartServerAsync();
        using var admin = AdminClient(server);
        server.AddToken("token-b", "host-b");
        var leaderController = new FakeController("leader") { HasSynced = true };
        var standbyCreated = false;
        using var leader = CreateHost(server, LeaderElecting("host-a"), [_ => leaderController]);
        using var standby = CreateHost(server, LeaderElecting("host-b"), [_ =>
        {
            standbyCreated = true;
            return new FakeController("standby");
        }], token: "token-b");
        using var stopLeader = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        using var stopStandby = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var runLeader = leader.RunAsync(stopLeader.Token);
        await WaitForLeaseHolderAsync(admin, "host-a");
        var runStandby = standby.RunAsync(stopStandby.Token);
        await server.RequestLog.WaitForAsync(e => e.User == "host-b" && e.Path.EndsWith("/leases/" + OperatorOptions.DefaultLeaderElectionId, StringComparison.Ordinal), Ct);

        await stopStandby.CancelAsync();
        await runStandby.WaitAsync(Bound, Ct);
        Assert.False(standbyCreated);
        Assert.True(leader.IsLeader);
        Assert.DoesNotContain(server.RequestLog.Entries, e => e.User == "host-b" && IsWrite(e));

        await stopLeader.CancelAsync();
        await runLeader.WaitAsync(Bound, Ct);
        Assert.True(leaderController.WasCancelled);
    }

    private static (int Status, string Body) Pick((int Status, string Body, string? ContentType) response) => (response.Status, response.Body);
}
