using System.Text;
using BuildKitController.Core.Api.V1Alpha1;
using BuildKitController.Kubernetes.Errors;
using BuildKitController.Kubernetes.Models.AppsV1;
using BuildKitController.Kubernetes.Models.CoreV1;
using BuildKitController.Testing.Time;

namespace BuildKitController.Operator.Tests.Pools;

public sealed class PoolScalingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task AllocateAsync(PoolHarness h, BuildKitWorker worker, string job)
    {
        var now = h.Time.GetUtcNow();
        worker.Spec.Allocation = new WorkerAllocation { JobId = job, TokenHash = new string('a', 64), AllocatedAt = now, ExpiresAt = now.AddHours(1) };
        await h.Client.For<BuildKitWorker>().UpdateAsync(worker, Ct);
    }

    /// <summary>Reports one live gateway connection on the worker, as the gateway does.</summary>
    private static async Task MarkConnectedAsync(PoolHarness h, string name)
    {
        while (true)
        {
            var worker = await h.Client.For<BuildKitWorker>().GetAsync("default", name, Ct);
            try
            {
                await h.Client.For<BuildKitWorker>().UpdateStatusAsync(worker with { Status = (worker.Status ?? new()) with { ActiveConnections = 1 } }, Ct);
                return;
            }
            catch (KubernetesConflictException)
            {
                // The worker reconciler wrote its status in between: read again.
            }
        }
    }

    [Fact]
    public async Task Min_keeps_idle_workers_warm_beyond_allocated_ones_and_max_caps_the_total()
    {
        await using var h = await PoolHarness.StartAsync();
        await h.CreatePoolAsync("ci", new BuildKitPoolSpec { Scaling = new ScalingConfig { Min = 2, Max = 3 } });
        await h.WaitForAsync<BuildKitPool>("default", "ci", p => p?.Status?.Workers is { Idle: 2, Total: 2 });

        var workers = await h.WaitForListAsync<BuildKitWorker>("default", l => l.Count(w => w.Status?.Phase == WorkerPhases.Idle) == 2);
        var pool = await h.Client.For<BuildKitPool>().GetAsync("default", "ci", Ct);
        foreach (var worker in workers)
        {
            Assert.StartsWith("ci-worker-", worker.Metadata.Name, StringComparison.Ordinal);
            Assert.Equal("ci", worker.Metadata.Labels!["buildkit.smrt-devops.net/pool"]);
            Assert.Equal(pool.Metadata.Uid, Assert.Single(worker.Metadata.OwnerReferences!).Uid);
        }

        // One allocation: a third worker is started to keep two warm.
        await AllocateAsync(h, workers[0], "job-1");
        await h.WaitForAsync<BuildKitPool>("default", "ci", p => p?.Status?.Workers is { Allocated: 1, Idle: 2, Total: 3 });

        // A second allocation: max (3) is reached, so only one stays warm and nothing more is created.
        var idle = (await h.Client.For<BuildKitWorker>().ListAsync("default", null, Ct)).Items.First(w => w.Spec.Allocation is null && w.Status?.Phase == WorkerPhases.Idle);
        await AllocateAsync(h, idle, "job-2");
        var status = await h.WaitForAsync<BuildKitPool>("default", "ci", p => p?.Status?.Workers is { Allocated: 2 });
        Assert.Equal(3, status!.Status!.Workers!.Total);
        Assert.Equal(3, status.Status.Workers.Desired);
        Assert.Equal(3, (await h.Client.For<BuildKitWorker>().ListAsync("default", null, Ct)).Items.Count);

        // Lowering min to zero never trims allocated workers. Their builds are connected through the gateway (an
        // allocation without connections for an explicit scaleDownDelay would be reclaimed as idle).
        foreach (var allocated in (await h.Client.For<BuildKitWorker>().ListAsync("default", null, Ct)).Items.Where(w => w.Spec.Allocation is not null))
        {
            await MarkConnectedAsync(h, allocated.Metadata.Name!);
        }

        await h.EditPoolAsync("ci", p => p.Spec.Scaling!.ScaleDownDelay = "1s");
        await h.EditPoolAsync("ci", p => p.Spec.Scaling!.Min = 0);
        var after = await h.WaitForListAsync<BuildKitWorker>("default", l => l.Count == 2 && l.All(w => w.Metadata.DeletionTimestamp is null));
        Assert.All(after, w => Assert.NotNull(w.Spec.Allocation));
    }

    [Fact]
    public async Task Idle_workers_above_min_go_after_the_scale_down_delay()
    {
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 3, 2, 12, 0, 0, TimeSpan.Zero));
        await using var h = await PoolHarness.StartAsync(time);
        await h.CreatePoolAsync("ci", new BuildKitPoolSpec { Scaling = new ScalingConfig { Min = 2, ScaleDownDelay = "10m" } });
        await h.WaitForAsync<BuildKitPool>("default", "ci", p => p?.Status?.Workers is { Idle: 2 });

        await h.EditPoolAsync("ci", p => p.Spec.Scaling!.Min = 0);
        await h.WaitForAsync<BuildKitPool>("default", "ci", p => p?.Status?.Workers?.Desired == 0 && p.Metadata.Generation == p.Status.Conditions!.First(c => c.Type == "Ready").ObservedGeneration);

        // Still inside the delay both are kept; once it has passed (one step, so whether the recheck timer was armed
        // before or after the jump, the next reconcile sees the delay as elapsed) both idle workers are removed.
        Assert.Equal(2, (await h.Client.For<BuildKitWorker>().ListAsync("default", null, Ct)).Items.Count(w => w.Metadata.DeletionTimestamp is null));
        time.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));
        await h.WaitForListAsync<BuildKitWorker>("default", l => l.Count == 0);
        await h.WaitForAsync<BuildKitPool>("default", "ci", p => p?.Status?.Phase == PoolPhases.ScaledToZero);
    }

    [Fact]
    public async Task The_scale_down_schedule_empties_the_warm_pool_during_its_window()
    {
        // "Every minute from 03:00 to 03:59" (UTC): one-minute windows opened by each matching minute.
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 3, 2, 2, 58, 0, TimeSpan.Zero));
        await using var h = await PoolHarness.StartAsync(time);
        await h.CreatePoolAsync("ci", new BuildKitPoolSpec { Scaling = new ScalingConfig { Min = 1, ScaleDownSchedule = "* 3 * * *" } });
        await h.WaitForAsync<BuildKitPool>("default", "ci", p => p?.Status?.Workers is { Idle: 1 });

        time.Advance(TimeSpan.FromMinutes(2));
        await h.WaitForListAsync<BuildKitWorker>("default", l => l.Count == 0);

        // At 04:00 the window has closed: the warm worker comes back.
        time.Advance(TimeSpan.FromMinutes(61));
        await h.WaitForAsync<BuildKitPool>("default", "ci", p => p?.Status?.Workers is { Idle: 1 });
    }

    [Fact]
    public async Task Failed_workers_are_replaced()
    {
        await using var h = await PoolHarness.StartAsync();
        await h.CreatePoolAsync("ci", new BuildKitPoolSpec { Scaling = new ScalingConfig { Min = 1 } });
        var first = (await h.WaitForListAsync<BuildKitWorker>("default", l => l.Count == 1 && l[0].Status?.Phase == WorkerPhases.Idle))[0];

        h.Server.FailPod("default", first.Metadata.Name!);
        var replaced = await h.WaitForListAsync<BuildKitWorker>("default", l => l.Count == 1 && l[0].Metadata.Uid != first.Metadata.Uid && l[0].Status?.Phase == WorkerPhases.Idle);
        Assert.Single(replaced);
    }

    [Fact]
    public async Task Certificates_rotate_two_thirds_into_their_lifetime_and_the_gateway_rolls()
    {
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 3, 2, 12, 0, 0, TimeSpan.Zero));
        await using var h = await PoolHarness.StartAsync(time);
        await h.CreatePoolAsync("ci", new BuildKitPoolSpec { Tls = new TlsConfig { Auto = new TlsAutoConfig { ServerCertDuration = "3h", RotateBeforeExpiry = "1h" } } });
        var pool = await h.WaitForAsync<BuildKitPool>("default", "ci", p => p?.Status?.ServerCert?.RenewalTime is not null && p.Status.Gateway?.Ready == true);
        var before = await h.Client.For<Secret>().GetAsync("default", "ci-tls", Ct);
        var beforeDeployment = await h.Client.For<Deployment>().GetAsync("default", "ci-gateway", Ct);
        Assert.Equal(time.GetUtcNow().AddHours(2) - TimeSpan.FromMinutes(5) / 3, pool!.Status!.ServerCert!.RenewalTime!.Value, TimeSpan.FromSeconds(2));

        time.Advance(TimeSpan.FromHours(2));
        var after = await h.WaitForAsync<Secret>("default", "ci-tls", s => s is not null && Encoding.ASCII.GetString(s.Data!["tls.crt"]) != Encoding.ASCII.GetString(before.Data!["tls.crt"]));
        Assert.Equal(Encoding.ASCII.GetString(before.Data!["ca.crt"]), Encoding.ASCII.GetString(after!.Data!["ca.crt"]));
        var rolled = await h.WaitForAsync<Deployment>("default", "ci-gateway", d =>
            d?.Spec?.Template.Metadata?.Annotations?["buildkit.smrt-devops.net/certificate-fingerprint"] != beforeDeployment.Spec!.Template.Metadata!.Annotations!["buildkit.smrt-devops.net/certificate-fingerprint"]);
        Assert.NotNull(rolled);
        await h.WaitForAsync<BuildKitPool>("default", "ci", p => p?.Status?.ServerCert?.NotBefore > pool.Status.ServerCert.NotBefore);
    }
}
