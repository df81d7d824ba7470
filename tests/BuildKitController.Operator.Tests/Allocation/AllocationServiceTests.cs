using System.Security.Cryptography.X509Certificates;
using BuildKitController.Core.Allocation;
using BuildKitController.Core.Api.V1Alpha1;
using BuildKitController.Operator.Allocation;
using BuildKitController.Operator.Informers;
using BuildKitController.Operator.Tests.Pools;

namespace BuildKitController.Operator.Tests.Allocation;

public sealed class AllocationServiceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static AllocationService Service(PoolHarness h, AllocationOptions? options = null)
    {
        var caches = h.Pools!.Caches;
        var service = new AllocationService(h.Client, new AllocationCaches(caches.Pools, caches.Workers, caches.Secrets, caches.RootCa), "buildkit-system", h.Time, options);
        h.Pools.Shared.Workers.AddHandler(service);
        return service;
    }

    [Fact]
    public async Task An_allocation_gets_a_ready_worker_a_hashed_token_and_a_certificate_bound_to_it()
    {
        await using var h = await PoolHarness.StartAsync();
        await h.CreatePoolAsync("ci", new BuildKitPoolSpec { Scaling = new ScalingConfig { Min = 1, Max = 2 } });
        await h.WaitForAsync<BuildKitPool>("default", "ci", p => p?.Status?.Workers?.Idle == 1 && p.Status.Gateway?.Ready == true);
        var service = Service(h);

        var grant = await service.AllocateAsync(new AllocationRequest("default", "ci", "alice", Ttl: "30m", JobId: "job-7", Metadata: new Dictionary<string, string> { ["repo"] = "org/app" }), Ct);

        var worker = await h.Client.For<BuildKitWorker>().GetAsync("default", grant.WorkerName, Ct);
        Assert.Equal(AllocationToken.Hash(grant.Token), worker.Spec.Allocation!.TokenHash);
        Assert.Null(worker.Spec.Allocation.Token);
        Assert.Equal("alice", worker.Spec.Allocation.RequestedBy);
        Assert.Equal("job-7", worker.Spec.Allocation.JobId);
        Assert.Equal("org/app", worker.Spec.Allocation.Metadata!["repo"]);
        Assert.Equal(h.Time.GetUtcNow().AddMinutes(30), grant.ExpiresAt, TimeSpan.FromSeconds(5));
        Assert.StartsWith("tcp://", grant.WorkerEndpoint, StringComparison.Ordinal);
        Assert.Equal("tcp://ci.default.svc:1235", grant.GatewayEndpoint);

        using var certificate = X509Certificate2.CreateFromPem(grant.Certificate.CertificatePem, grant.Certificate.KeyPem);
        Assert.Equal($"alloc:{grant.Token}", certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false));
        Assert.Contains($"buildkit://allocation/{grant.Token}", certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().Format(false), StringComparison.Ordinal);
        Assert.Equal("1.3.6.1.5.5.7.3.2", Assert.Single(certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>()).Value);
        Assert.Equal(grant.ExpiresAt, new DateTimeOffset(certificate.NotAfter.ToUniversalTime()), TimeSpan.FromSeconds(1));
        using var root = X509Certificate2.CreateFromPem(grant.CaCertificatePem);
        Assert.Equal("BuildKit CA", root.GetNameInfo(X509NameType.SimpleName, forIssuer: false));

        // The warm pool is refilled beyond the allocated worker.
        await h.WaitForAsync<BuildKitPool>("default", "ci", p => p?.Status?.Workers is { Idle: 1, Allocated: 1 });
        Assert.Equal(worker.Metadata.Name, service.Find(grant.Token)?.Metadata.Name);
    }

    [Fact]
    public async Task A_replica_whose_cache_has_not_seen_an_allocation_yet_still_renews_and_releases_it()
    {
        await using var h = await PoolHarness.StartAsync();
        await h.CreatePoolAsync("ci", new BuildKitPoolSpec { Scaling = new ScalingConfig { Min = 1, Max = 2 } });
        await h.WaitForAsync<BuildKitPool>("default", "ci", p => p?.Status?.Workers?.Idle == 1 && p.Status.Gateway?.Ready == true);
        var grant = await Service(h).AllocateAsync(new AllocationRequest("default", "ci", "alice", Ttl: "30m"), Ct);

        // Replica B: its worker cache has not received the claim (here: an informer that never started).
        var caches = h.Pools!.Caches;
        var lagging = new AllocationService(h.Client, new AllocationCaches(caches.Pools, new SharedInformers(h.Client).Workers.Cache, caches.Secrets, caches.RootCa), "buildkit-system", h.Time);
        Assert.Null(lagging.Find(grant.Token));
        Assert.Equal(grant.WorkerName, (await lagging.FindLiveAsync(grant.Token, Ct))?.Metadata.Name);
        Assert.Null(await lagging.FindLiveAsync(AllocationToken.Create(), Ct));

        var renewed = await lagging.RenewAsync(grant.Token, "2h", null, "alice", isAdmin: false, Ct);
        Assert.Equal(h.Time.GetUtcNow().AddHours(2), renewed.ExpiresAt, TimeSpan.FromSeconds(5));
        Assert.True(await lagging.ReleaseAsync(grant.Token, "alice", isAdmin: false, Ct));

        var worker = await h.Client.For<BuildKitWorker>().TryGetAsync("default", grant.WorkerName, Ct);
        Assert.True(worker is null || worker.Metadata.DeletionTimestamp is not null);
    }

    [Fact]
    public async Task Release_and_renew_belong_to_the_allocating_identity_or_an_admin_and_release_is_idempotent()
    {
        await using var h = await PoolHarness.StartAsync();
        await h.CreatePoolAsync("ci");
        await h.WaitForAsync<BuildKitPool>("default", "ci", p => p?.Status?.Gateway?.Ready == true);
        var service = Service(h);
        var grant = await service.AllocateAsync(new AllocationRequest("default", "ci", "alice", Ttl: "10m"), Ct);

        var denied = await Assert.ThrowsAsync<AllocationException>(() => service.ReleaseAsync(grant.Token, "mallory", isAdmin: false, Ct));
        Assert.Equal(403, denied.Status);
        var deniedRenew = await Assert.ThrowsAsync<AllocationException>(() => service.RenewAsync(grant.Token, "1h", null, "mallory", isAdmin: false, Ct));
        Assert.Equal(403, deniedRenew.Status);

        var renewed = await service.RenewAsync(grant.Token, "2h", null, "alice", isAdmin: false, Ct);
        Assert.True(renewed.ExpiresAt > grant.ExpiresAt);
        Assert.NotEqual(grant.Certificate.SerialNumber, renewed.Certificate.SerialNumber);
        var badTtl = await Assert.ThrowsAsync<AllocationException>(() => service.RenewAsync(grant.Token, "-5m", null, "alice", isAdmin: false, Ct));
        Assert.Equal(400, badTtl.Status);

        Assert.True(await service.ReleaseAsync(grant.Token, "admin", isAdmin: true, Ct));
        await h.WaitForAsync<BuildKitWorker>("default", grant.WorkerName, w => w is null);
        Assert.False(await service.ReleaseAsync(grant.Token, "alice", isAdmin: false, Ct));
        Assert.Null(service.Find(grant.Token));
    }

    [Fact]
    public async Task With_a_signing_request_the_private_key_never_leaves_the_client()
    {
        await using var h = await PoolHarness.StartAsync();
        await h.CreatePoolAsync("ci");
        await h.WaitForAsync<BuildKitPool>("default", "ci", p => p?.Status?.Gateway?.Ready == true);
        var service = Service(h);
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var csr = new CertificateRequest("CN=ignored", key, System.Security.Cryptography.HashAlgorithmName.SHA256).CreateSigningRequestPem();

        var grant = await service.AllocateAsync(new AllocationRequest("default", "ci", "alice", CertificateSigningRequest: csr), Ct);

        Assert.Null(grant.Certificate.KeyPem);
        using var certificate = X509Certificate2.CreateFromPem(grant.Certificate.CertificatePem);
        using var certified = certificate.GetECDsaPublicKey()!;
        Assert.Equal(key.ExportSubjectPublicKeyInfo(), certified.ExportSubjectPublicKeyInfo());
        Assert.Equal($"alloc:{grant.Token}", certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false));
    }

    [Fact]
    public async Task Bad_requests_are_refused_with_clear_errors()
    {
        await using var h = await PoolHarness.StartAsync();
        await h.CreatePoolAsync("ci");
        await h.WaitForAsync<BuildKitPool>("default", "ci", p => p?.Status?.Gateway?.Ready == true);
        var service = Service(h);

        Assert.Equal(400, (await Assert.ThrowsAsync<AllocationException>(() => service.AllocateAsync(new AllocationRequest("default", "ci", "a", Ttl: "-1h"), Ct))).Status);
        Assert.Equal(400, (await Assert.ThrowsAsync<AllocationException>(() => service.AllocateAsync(new AllocationRequest("default", "ci", "a", Ttl: "forever"), Ct))).Status);
        Assert.Equal(400, (await Assert.ThrowsAsync<AllocationException>(() => service.AllocateAsync(new AllocationRequest("default", "ci", "a", JobId: new string('j', 300)), Ct))).Status);
        Assert.Equal(400, (await Assert.ThrowsAsync<AllocationException>(() => service.AllocateAsync(new AllocationRequest("default", "", "a"), Ct))).Status);
        Assert.Equal(404, (await Assert.ThrowsAsync<AllocationException>(() => service.AllocateAsync(new AllocationRequest("default", "nope", "a"), Ct))).Status);
        Assert.Equal(400, (await Assert.ThrowsAsync<AllocationException>(() => service.AllocateAsync(new AllocationRequest("default", "ci", "a", CertificateSigningRequest: "-----BEGIN CERTIFICATE REQUEST-----\ngarbage\n-----END CERTIFICATE REQUEST-----"), Ct))).Status);
        Assert.Null(service.Find("not-a-token"));
        Assert.DoesNotContain((await h.Client.For<BuildKitWorker>().ListAsync("default", null, Ct)).Items, w => w.Spec.Allocation is not null && w.Metadata.DeletionTimestamp is null);
    }

    [Fact]
    public async Task A_hundred_concurrent_requests_against_max_five_are_served_five_at_a_time_fairly_and_never_twice()
    {
        await using var h = await PoolHarness.StartAsync();
        await h.CreatePoolAsync("ci", new BuildKitPoolSpec { Scaling = new ScalingConfig { Min = 0, Max = 5 } });
        await h.WaitForAsync<BuildKitPool>("default", "ci", p => p?.Status?.Gateway?.Ready == true);
        var service = Service(h);

        // One greedy caller submits fifty, then five others ten each (interleaved).
        var requesters = Enumerable.Repeat("greedy", 50).Concat(Enumerable.Range(0, 50).Select(i => $"u{i % 5}")).ToList();
        var pending = requesters
            .Select((requester, i) => (Index: i, Requester: requester, Task: service.AllocateAsync(new AllocationRequest("default", "ci", requester, Ttl: "1h", JobId: $"job-{i}"), Ct)))
            .ToList();
        Assert.InRange(service.QueueLength("default", "ci"), 95, 100);

        var active = new Dictionary<string, AllocationGrant>(StringComparer.Ordinal);
        var served = new List<(int Index, string Requester)>();
        while (pending.Count > 0)
        {
            var done = await Task.WhenAny(pending.Select(p => p.Task)).WaitAsync(TimeSpan.FromSeconds(60), Ct);
            var entry = pending.Single(p => p.Task == done);
            pending.Remove(entry);
            var grant = await done;
            Assert.True(active.TryAdd(grant.WorkerName, grant), $"worker {grant.WorkerName} granted twice");
            Assert.True(active.Count <= 5, $"{active.Count} grants at once");
            served.Add((entry.Index, entry.Requester));
            var live = (await h.Client.For<BuildKitWorker>().ListAsync("default", null, Ct)).Items.Count;
            Assert.True(live <= 5, $"{live} workers exist");

            // The worker is done: release it so the next waiting request gets the slot.
            Assert.True(await service.ReleaseAsync(grant.Token, entry.Requester, isAdmin: false, Ct));
            active.Remove(grant.WorkerName);
        }

        // FIFO per caller. Workers are claimed in line order, but up to five claimed workers start at once and may
        // become ready in any order, so a request can complete ahead of at most four earlier ones of its caller.
        foreach (var group in served.GroupBy(s => s.Requester))
        {
            var completed = group.Select(s => s.Index).ToList();
            for (var k = 0; k < completed.Count; k++)
            {
                var overtaken = completed.Skip(k + 1).Count(earlier => earlier < completed[k]);
                Assert.True(overtaken <= 4, $"{group.Key}: request {completed[k]} completed ahead of {overtaken} earlier ones ({string.Join(",", completed)})");
            }
        }

        // Fair across callers: each of the later callers is served long before the greedy caller's fifty are done.
        var order = served.Select(s => s.Requester).ToList();
        Assert.All(Enumerable.Range(0, 5), k => Assert.InRange(order.IndexOf($"u{k}"), 0, 20));
        Assert.Equal(100, served.Count);
    }

    [Fact]
    public async Task The_line_is_bounded_and_a_full_line_answers_503_with_retry_after()
    {
        await using var h = await PoolHarness.StartAsync();
        await h.CreatePoolAsync("ci", new BuildKitPoolSpec { Scaling = new ScalingConfig { Max = 1 } });
        await h.WaitForAsync<BuildKitPool>("default", "ci", p => p?.Status?.Gateway?.Ready == true);
        var service = Service(h, new AllocationOptions { QueueCapacityPerPool = 2 });

        var first = await service.AllocateAsync(new AllocationRequest("default", "ci", "a"), Ct);
        using var giveUp = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var waiting = new[] { service.AllocateAsync(new AllocationRequest("default", "ci", "b"), giveUp.Token), service.AllocateAsync(new AllocationRequest("default", "ci", "c"), giveUp.Token) };
        var full = await Assert.ThrowsAsync<AllocationException>(() => service.AllocateAsync(new AllocationRequest("default", "ci", "d"), Ct));
        Assert.Equal(503, full.Status);
        Assert.NotNull(full.RetryAfter);

        // Callers that give up leave the line.
        await giveUp.CancelAsync();
        foreach (var task in waiting)
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);
        }

        Assert.Equal(0, service.QueueLength("default", "ci"));
        Assert.NotNull(service.Find(first.Token));
    }

    [Fact]
    public async Task Allocations_survive_a_controller_restart()
    {
        await using var h = await PoolHarness.StartAsync();
        await h.CreatePoolAsync("ci", new BuildKitPoolSpec { Scaling = new ScalingConfig { Max = 3 } });
        await h.WaitForAsync<BuildKitPool>("default", "ci", p => p?.Status?.Gateway?.Ready == true);
        var before = Service(h);
        var a = await before.AllocateAsync(new AllocationRequest("default", "ci", "alice"), Ct);
        var b = await before.AllocateAsync(new AllocationRequest("default", "ci", "bob"), Ct);

        await h.StopControllersAsync();
        h.StartControllers();
        var after = Service(h);
        await h.Pools!.Shared.WaitForSyncAsync(Ct);

        Assert.Equal(a.WorkerName, after.Find(a.Token)?.Metadata.Name);
        Assert.Equal(b.WorkerName, after.Find(b.Token)?.Metadata.Name);
        var c = await after.AllocateAsync(new AllocationRequest("default", "ci", "carol"), Ct);
        Assert.DoesNotContain(c.WorkerName, new[] { a.WorkerName, b.WorkerName });
        Assert.True(await after.ReleaseAsync(a.Token, "alice", isAdmin: false, Ct));
    }

    [Fact]
    public async Task A_controller_restart_in_the_middle_of_a_hundred_allocations_loses_none_and_doubles_none()
    {
        await using var h = await PoolHarness.StartAsync();
        await h.CreatePoolAsync("ci", new BuildKitPoolSpec { Scaling = new ScalingConfig { Min = 0, Max = 5 } });
        await h.WaitForAsync<BuildKitPool>("default", "ci", p => p?.Status?.Gateway?.Ready == true);
        var service = Service(h);
        using var firstProcess = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var pending = Enumerable.Range(0, 100)
            .Select(i => (Index: i, Task: service.AllocateAsync(new AllocationRequest("default", "ci", $"u{i % 7}", Ttl: "1h", JobId: $"job-{i}"), firstProcess.Token)))
            .ToList();
        var active = new Dictionary<string, (AllocationGrant Grant, int Index)>(StringComparer.Ordinal);
        var served = new HashSet<int>();

        async Task ServeAsync(AllocationService by, int until)
        {
            while (served.Count < until)
            {
                // The oldest job finishes whenever all five workers are busy, so the next waiting request gets one.
                if (active.Count == 5)
                {
                    var (oldest, index) = active.Values.MinBy(a => a.Index);
                    Assert.True(await by.ReleaseAsync(oldest.Token, $"u{index % 7}", isAdmin: false, Ct));
                    active.Remove(oldest.WorkerName);
                }

                var done = await Task.WhenAny(pending.Select(p => p.Task)).WaitAsync(TimeSpan.FromSeconds(60), Ct);
                var entry = pending.Single(p => p.Task == done);
                pending.Remove(entry);
                Granted(await done, entry.Index);
            }
        }

        void Granted(AllocationGrant grant, int index)
        {
            Assert.True(active.TryAdd(grant.WorkerName, (grant, index)), $"worker {grant.WorkerName} granted twice");
            Assert.True(active.Count <= 5, $"{active.Count} grants at once");
            Assert.True(served.Add(index));
        }

        await ServeAsync(service, until: 40);

        // The process dies: its controllers stop and the requests still waiting in its line fail (their callers retry).
        // A request granted in the meantime is a held allocation like the others.
        await h.StopControllersAsync();
        await firstProcess.CancelAsync();
        foreach (var (index, task) in pending.ToList())
        {
            try
            {
                Granted(await task, index);
                pending.RemoveAll(p => p.Index == index);
            }
            catch (OperationCanceledException)
            {
                // Waiting when the process died: retried below.
            }
        }

        var heldAcrossRestart = active.Values.ToList();
        Assert.NotEmpty(heldAcrossRestart);

        h.StartControllers();
        var restarted = Service(h);
        await h.Pools!.Shared.WaitForSyncAsync(Ct);

        // Every allocation granted before the restart is still there, on the same worker, and nobody else got it.
        foreach (var (grant, _) in heldAcrossRestart)
        {
            var worker = restarted.Find(grant.Token);
            Assert.Equal(grant.WorkerName, worker?.Metadata.Name);
        }

        var retried = pending.Select(p => p.Index).ToList();
        pending = [.. retried.Select(i => (Index: i, Task: restarted.AllocateAsync(new AllocationRequest("default", "ci", $"u{i % 7}", Ttl: "1h", JobId: $"job-{i}"), Ct)))];
        await ServeAsync(restarted, until: 100);

        Assert.Equal(100, served.Count);
        var workers = (await h.Client.For<BuildKitWorker>().ListAsync("default", null, Ct)).Items;
        Assert.True(workers.Count <= 5, $"{workers.Count} workers exist");
        var tokens = workers.Where(w => w.Spec.Allocation is not null).Select(w => w.Spec.Allocation!.TokenHash).ToList();
        Assert.Equal(tokens.Count, tokens.Distinct(StringComparer.Ordinal).Count());
    }
}
