using BuildKitController.Kubernetes.Client;
using BuildKitController.Kubernetes.Models;
using BuildKitController.Kubernetes.Models.CoordinationV1;
using BuildKitController.Kubernetes.Models.CoreV1;
using BuildKitController.Kubernetes.Runtime.LeaderElection;
using BuildKitController.Kubernetes.Tests.Support;
using BuildKitController.Testing.Time;

namespace BuildKitController.Kubernetes.Tests.Runtime.LeaderElection;

public sealed class LeaderElectorTests
{
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(3);
    private readonly ManualTimeProvider _time = new(DateTimeOffset.UtcNow);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static LeaderElectionOptions Options(string identity, bool release = true) => new()
    {
        Namespace = "default",
        LeaseName = "buildkit-controller.smrt-devops.net",
        Identity = identity,
        ReleaseOnCancel = release,
    };

    private KubernetesClient Client(FakeCluster cluster) =>
        cluster.CreateClient(new KubernetesClientOptions { MaxRetries = 0, QueriesPerSecond = 0 }, _time);

    /// <summary>Leading work: write a marker object, report, then hold leadership until cancelled.</summary>
    private static Func<CancellationToken, Task> Lead(KubernetesClient client, string identity, TaskCompletionSource leading, TaskCompletionSource? stopped = null) =>
        async ct =>
        {
            await client.For<ConfigMap>().CreateAsync(new ConfigMap { Metadata = new ObjectMeta { Name = $"written-by-{identity}", Namespace = "default" } }, ct);
            leading.TrySetResult();
            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, ct);
            }
            finally
            {
                stopped?.TrySetResult();
            }
        };

    [Fact]
    public async Task Exactly_one_instance_leads_and_the_other_takes_over_when_the_leader_dies()
    {
        await using var cluster = await FakeCluster.StartAsync();
        var clientA = Client(cluster);
        var clientB = Client(cluster);
        var a = new LeaderElector(clientA, Options("a", release: false));
        var b = new LeaderElector(clientB, Options("b"));
        var aLeading = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var bLeading = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stopA = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        using var stopB = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var runA = a.RunAsync(Lead(clientA, "a", aLeading), stopA.Token);
        await aLeading.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        var runB = b.RunAsync(Lead(clientB, "b", bLeading), stopB.Token);

        // Both wait on their timers: A to renew, B to try again. Several rounds change nothing.
        for (var round = 0; round < 5; round++)
        {
            await _time.WaitForTimersAsync(2, Ct).WaitAsync(TimeSpan.FromSeconds(30), Ct);
            _time.Advance(Step);
        }

        await _time.WaitForTimersAsync(2, Ct).WaitAsync(TimeSpan.FromSeconds(30), Ct);
        Assert.True(a.IsLeader);
        Assert.False(b.IsLeader);
        Assert.Null(cluster.Server.Get(ConfigMap.Resource, "default", "written-by-b"));
        Assert.Equal("a", (string?)cluster.Server.Get(Lease.Resource, "default", "buildkit-controller.smrt-devops.net")!["spec"]!["holderIdentity"]);

        // A dies without releasing the lease: B takes over once it has seen the lease unchanged for its duration.
        await stopA.CancelAsync();
        Assert.False(await runA.WaitAsync(TimeSpan.FromSeconds(30), Ct));
        for (var round = 0; round < 20 && !bLeading.Task.IsCompleted; round++)
        {
            await Task.WhenAny(bLeading.Task, _time.WaitForTimersAsync(1, Ct)).WaitAsync(TimeSpan.FromSeconds(30), Ct);
            if (!bLeading.Task.IsCompleted)
            {
                _time.Advance(Step);
            }
        }

        await bLeading.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        Assert.True(b.IsLeader);
        var lease = cluster.Server.Get(Lease.Resource, "default", "buildkit-controller.smrt-devops.net")!;
        Assert.Equal("b", (string?)lease["spec"]!["holderIdentity"]);
        Assert.Equal(1, (int?)lease["spec"]!["leaseTransitions"]);

        // A graceful stop releases the lease for the next instance.
        await stopB.CancelAsync();
        Assert.False(await runB.WaitAsync(TimeSpan.FromSeconds(30), Ct));
        Assert.Null((string?)cluster.Server.Get(Lease.Resource, "default", "buildkit-controller.smrt-devops.net")!["spec"]!["holderIdentity"]);
    }

    [Fact]
    public async Task A_leader_that_cannot_renew_stops_its_work_before_the_lease_can_expire()
    {
        await using var cluster = await FakeCluster.StartAsync();
        var client = Client(cluster);
        var elector = new LeaderElector(client, Options("a"));
        var leading = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var run = elector.RunAsync(Lead(client, "a", leading, stopped), Ct);
        await leading.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        cluster.Server.Faults.FailNext(1000, 500, r => r.Resource == "leases");
        var started = _time.GetUtcNow();
        for (var round = 0; round < 20 && !run.IsCompleted; round++)
        {
            await Task.WhenAny(run, _time.WaitForTimersAsync(1, Ct)).WaitAsync(TimeSpan.FromSeconds(30), Ct);
            if (!run.IsCompleted)
            {
                _time.Advance(TimeSpan.FromSeconds(2));
            }
        }

        Assert.True(await run.WaitAsync(TimeSpan.FromSeconds(30), Ct));
        Assert.True(stopped.Task.IsCompleted);
        Assert.False(elector.IsLeader);
        var lostAfter = _time.GetUtcNow() - started;
        Assert.InRange(lostAfter, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(15));
    }
}
