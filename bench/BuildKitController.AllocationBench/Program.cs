using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using BuildKitController.Core.Api.V1Alpha1;
using BuildKitController.Kubernetes.Client;
using BuildKitController.Kubernetes.Configuration;
using BuildKitController.Kubernetes.Models;
using BuildKitController.Operator.Api;
using BuildKitController.Operator.Auth;
using BuildKitController.Operator.Hosting;
using BuildKitController.Operator.Pools;
using BuildKitController.Operator.Workers;
using BuildKitController.Testing;
using BuildKitController.Testing.FakeKubernetes;
using Microsoft.Extensions.Logging.Abstractions;

// Warm allocation benchmark: a pool with `warm` idle workers; `count` allocations through POST
// /api/v1/workers/allocate by `clients` concurrent callers (each a distinct ServiceAccount, authenticated by
// TokenReview). Reports latency percentiles of the allocate call and throughput. Usage:
//   buildkit-allocation-bench [--warm 600] [--count 500] [--clients 8] [--warmup-seconds 20]
var warm = Arg("--warm", 600);
var count = Arg("--count", 500);
var clients = Arg("--clients", 8);
var warmupSeconds = Arg("--warmup-seconds", 20);
if (count > warm)
{
    // Nothing is released during the measured run: more allocations than warm workers would measure cold starts
    // (and beyond the pool's max, wait for ever).
    Console.Error.WriteLine($"--count ({count}) must not exceed --warm ({warm})");
    return 2;
}

using var stop = new CancellationTokenSource();
var ct = stop.Token;

await using var server = await FakeApiServer.StartAsync(new FakeApiServerOptions
{
    SimulateKubelet = true,
    SimulateDeploymentController = true,
    InitialNamespaces = ["default", "buildkit-system"],
    HistoryLimit = 200_000,
}, ct);
await server.LoadCustomResourceDefinitionsAsync(RepositoryFiles.PathOf("deploy", "crds"), ct);
server.TokenReviewHandler = spec => new() { Authenticated = true, User = new() { Username = $"system:serviceaccount:default:{spec.Token}", Groups = ["system:authenticated"] } };
using var client = new KubernetesClient(KubeconfigLoader.LoadFromString(server.CreateKubeconfig()), new KubernetesClientOptions { QueriesPerSecond = 5000, Burst = 5000 });

var pools = new PoolController(client, TimeProvider.System, new PoolControllerOptions(), controllerOptions: new() { MaxConcurrentReconciles = 4 });
var workers = new WorkerController(client, TimeProvider.System, pools.Shared, options: new() { MaxConcurrentReconciles = 4 });
// Wired as the controller process wires it (OperatorControllers): the API shares the controllers' informers.
var api = new ApiComponent(client, TimeProvider.System, BindAddress.Parse("127.0.0.1:0"), null, new ApiOptions(),
    new AuthOptions { ControllerNamespace = "buildkit-system" }, null, NullLoggerFactory.Instance, shared: pools.Shared);
var running = new[] { pools.RunAsync(ct), workers.RunAsync(ct), api.RunAsync(ct) };
var address = await api.Listening ?? throw new InvalidOperationException("the API did not start");

await client.For<BuildKitPool>().CreateAsync(new BuildKitPool
{
    Metadata = new ObjectMeta { Name = "bench", Namespace = "default" },
    Spec = new BuildKitPoolSpec
    {
        Scaling = new ScalingConfig { Min = warm, Max = warm + 10, ScaleDownDelay = "1h" },
        Auth = new AuthConfig { Rbac = new RbacConfig { Enabled = false } },
    },
}, ct);
using var http = new HttpClient { BaseAddress = address };
Console.WriteLine($"waiting for {warm} warm workers…");
var setup = Stopwatch.StartNew();
await WaitForWarmPoolAsync();
Console.WriteLine($"{warm} warm workers after {setup.Elapsed.TotalSeconds:F1} s; warming up for {warmupSeconds} s");

// Warm-up, not counted: every client allocates and releases for --warmup-seconds (connections, TokenReview cache,
// tiered JIT of the allocate, release and reconcile paths), as in a controller that has been running for a while.
// Released workers are deleted and replaced; the run starts once the pool is back to `warm` idle workers.
var warmupUntil = Stopwatch.StartNew();
await Task.WhenAll(Enumerable.Range(0, clients).Select(async c =>
{
    while (warmupUntil.Elapsed.TotalSeconds < warmupSeconds)
    {
        if (await AllocateTokenAsync($"client-{c}") is { } token)
        {
            await ReleaseAsync($"client-{c}", token);
        }
    }
}));
await WaitForWarmPoolAsync();
Console.WriteLine($"allocating {count} with {clients} clients");
var latencies = new double[count];
var next = -1;
var failures = 0;
server.RequestLog.Clear();
var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
var wall = Stopwatch.StartNew();
await Task.WhenAll(Enumerable.Range(0, clients).Select(async c =>
{
    while (Interlocked.Increment(ref next) is var i && i < count)
    {
        var started = Stopwatch.GetTimestamp();
        if (!await AllocateAsync($"client-{c}"))
        {
            Interlocked.Increment(ref failures);
        }

        latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }
}));
wall.Stop();
var cpuPerAllocation = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds / count;

// What the run asked of the API server, per allocation: method and resource (the path's last collection segment).
var requests = server.RequestLog.Entries
    .Where(e => e.Method != "GET" || !e.PathAndQuery.Contains("watch=", StringComparison.Ordinal))
    .GroupBy(e => $"{e.Method} {Resource(e.Path)} {e.StatusCode}")
    .OrderByDescending(g => g.Count())
    .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Key} {g.Count() / (double)count:F1}"));

Array.Sort(latencies);
double P(double q) => latencies[Math.Min(latencies.Length - 1, (int)Math.Ceiling(q * latencies.Length) - 1)];
var throughput = count / wall.Elapsed.TotalSeconds;
var report = string.Create(CultureInfo.InvariantCulture, $"""
    | metric | value | SPEC §6 target |
    |---|---|---|
    | warm allocations | {count} ({failures} failed), {clients} concurrent clients | |
    | latency p50 | {P(0.50):F1} ms | |
    | latency p90 | {P(0.90):F1} ms | |
    | latency p99 | {P(0.99):F1} ms | ≤ 20 ms |
    | latency max | {latencies[^1]:F1} ms | |
    | throughput | {throughput:F0} allocations/s | ≥ 200/s |
    | CPU per allocation | {cpuPerAllocation:F1} ms (the whole process: fake API server, controllers, API and client) | |
    | API server requests per allocation | {string.Join(", ", requests)} | |
    """);
Console.WriteLine(report);
var results = RepositoryFiles.PathOf("bench", "results");
Directory.CreateDirectory(results);
var file = Path.Combine(results, $"allocation-{DateTime.UtcNow:yyyy-MM-dd}.md");
await File.WriteAllTextAsync(file, $"# Allocation benchmark {DateTime.UtcNow:u}\n\n`bash bench/allocation.sh --warm {warm} --count {count} --clients {clients} --warmup-seconds {warmupSeconds}`\n\n{report}\n", ct);
Console.WriteLine($"written to {file}");
await stop.CancelAsync();
await Task.WhenAll(running).WaitAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
await api.DisposeAsync();
return failures == 0 ? 0 : 1;

async Task WaitForWarmPoolAsync()
{
    for (var round = 1; ; round++)
    {
        var pool = await client.For<BuildKitPool>().GetAsync("default", "bench", ct);
        var workers = await client.For<BuildKitWorker>().ListAsync("default", null, ct);
        if (pool.Status?.Workers?.Idle >= warm && api.HasSynced && workers.Items.All(w => w.Metadata.DeletionTimestamp is null && w.Spec.Allocation is null))
        {
            return;
        }

        if (round % 20 == 0)
        {
            Console.Error.WriteLine($"… {pool.Status?.Workers?.Idle} idle of {workers.Items.Count} workers ({workers.Items.Count(w => w.Metadata.DeletionTimestamp is not null)} being deleted, {workers.Items.Count(w => w.Spec.Allocation is not null)} allocated, phases {string.Join(", ", workers.Items.GroupBy(w => w.Status?.Phase ?? "-").Select(g => $"{g.Key} {g.Count()}"))})");
        }

        await Task.Delay(500, ct);
    }
}

async Task<string?> AllocateTokenAsync(string caller)
{
    using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/workers/allocate")
    {
        Content = new StringContent("""{"poolName":"bench","namespace":"default","ttl":"1h"}""", Encoding.UTF8, "application/json"),
    };
    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", caller);
    using var response = await http.SendAsync(request, ct);
    return response.IsSuccessStatusCode
        ? System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct)).RootElement.GetProperty("token").GetString()
        : null;
}

async Task ReleaseAsync(string caller, string token)
{
    using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/workers/release")
    {
        Content = new StringContent($$"""{"token":"{{token}}"}""", Encoding.UTF8, "application/json"),
    };
    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", caller);
    using var response = await http.SendAsync(request, ct);
    response.EnsureSuccessStatusCode();
}

async Task<bool> AllocateAsync(string caller)
{
    using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/workers/allocate")
    {
        Content = new StringContent("""{"poolName":"bench","namespace":"default","ttl":"1h"}""", Encoding.UTF8, "application/json"),
    };
    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", caller);
    using var response = await http.SendAsync(request, ct);
    return response.IsSuccessStatusCode;
}

static string Resource(string path)
{
    // /apis/group/version/namespaces/ns/plural/name[/status] → plural[/status]
    var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
    var index = Array.IndexOf(parts, "namespaces");
    var rest = index >= 0 && parts.Length > index + 2 ? parts[(index + 2)..] : parts[^1..];
    return rest.Length >= 3 ? $"{rest[0]}/{rest[2]}" : rest[0];
}

int Arg(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], CultureInfo.InvariantCulture, out var value) ? value : fallback;
}
