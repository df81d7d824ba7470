using System.Globalization;
using BuildKitController.AllocationBench;
using BuildKitController.Bench;
using BuildKitController.Core.Api.V1Alpha1;
using BuildKitController.Kubernetes.Client;
using BuildKitController.Kubernetes.Configuration;
using BuildKitController.Kubernetes.Models;
using BuildKitController.Testing;
using BuildKitController.Testing.FakeKubernetes;

// Warm allocation benchmark (SPEC §6). The real controller (buildkit-controller as shipped: its own process, GC settings,
// log level and Kubernetes API budgets) runs against the fake API server hosted here, which stands in for
// kube-apiserver; the CI callers run here too. One pool holds enough warm workers for every allocation of the run
// (nothing is released, so every allocation takes an idle worker). In one go:
//   1. warm-up (not counted): allocations at a steady rate for --warmup-seconds, as in a controller that has been
//      running for a while (connections, TokenReview cache, tiered JIT of the allocate and reconcile paths);
//   2. latency: --count allocations arriving at --rate a second (open loop), latency from each scheduled start;
//   3. throughput: --count allocations by --clients callers, each sending the next when the previous returns.
// Between runs the controller works off what the previous one queued (status and pod writes, paced by its
// --kube-api-qps budget). Usage:
//   buildkit-allocation-bench [--count 1000] [--rate 200] [--clients 4] [--warmup-seconds 20] [--warmup-rate 50]
//                             [--controller-args "--kube-api-qps 0"] [--controller-env NAME=VALUE,NAME=VALUE]
var count = Arg("--count", 1000);
var rate = Arg("--rate", 200);
var clients = Arg("--clients", 4);
var warmupSeconds = Arg("--warmup-seconds", 20);
var warmupRate = Arg("--warmup-rate", 50);
var controllerArgs = StringArg("--controller-args")?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [];
var controllerEnvironment = StringArg("--controller-env")?.Split(',', StringSplitOptions.RemoveEmptyEntries).Where(v => v.Contains('=', StringComparison.Ordinal)).ToArray() ?? [];
var warmupCount = warmupSeconds * warmupRate;
var warm = warmupCount + 2 * count;

var controllerPath = RepositoryFiles.PathOf("src", "BuildKitController.Operator", "bin", "Release", "net10.0", "buildkit-controller.dll");
if (!File.Exists(controllerPath))
{
    Console.Error.WriteLine($"{controllerPath} not found; bash bench/allocation.sh builds it");
    return 2;
}

using var stop = new CancellationTokenSource();
var ct = stop.Token;
var work = Directory.CreateTempSubdirectory("buildkit-allocation-bench-");
Console.WriteLine($"work directory (kubeconfig, controller logs): {work.FullName}");

await using var server = await FakeApiServer.StartAsync(new FakeApiServerOptions
{
    SimulateKubelet = true,
    SimulateDeploymentController = true,
    InitialNamespaces = ["default", "buildkit-system"],
    HistoryLimit = 200_000,
}, ct);
await server.LoadCustomResourceDefinitionsAsync(RepositoryFiles.PathOf("deploy", "crds"), ct);
server.TokenReviewHandler = spec => new() { Authenticated = true, User = new() { Username = $"system:serviceaccount:default:{spec.Token}", Groups = ["system:authenticated"] } };
var controllerToken = $"controller-{Guid.NewGuid():N}";
server.AddToken(controllerToken, "system:serviceaccount:buildkit-system:buildkit-controller", "system:serviceaccounts", "system:serviceaccounts:buildkit-system", "system:authenticated");
var kubeconfig = await server.WriteKubeconfigAsync(Path.Combine(work.FullName, "kubeconfig"), ct, controllerToken);
using var cluster = new KubernetesClient(KubeconfigLoader.LoadFromString(server.CreateKubeconfig()), new KubernetesClientOptions { QueriesPerSecond = 5000, Burst = 5000 });

// The warm pool is built by a controller without client-side rate limits (at the default 50 requests a second,
// creating thousands of workers takes minutes), which then makes way for the measured one.
await cluster.For<BuildKitPool>().CreateAsync(new BuildKitPool
{
    Metadata = new ObjectMeta { Name = "bench", Namespace = "default" },
    Spec = new BuildKitPoolSpec
    {
        Scaling = new ScalingConfig { Min = warm, Max = warm + 10, ScaleDownDelay = "1h" },
        Auth = new AuthConfig { Rbac = new RbacConfig { Enabled = false } },
    },
}, ct);
Console.WriteLine($"building a pool of {warm} warm workers…");
await using (var builder = await StartControllerAsync("setup", ["--kube-api-qps", "0", "--api-kube-api-qps", "0"]))
{
    await WaitForQuietPoolAsync(builder);
}

// Measured: the controller's defaults (info logging: an audit line per allocation), plus --controller-args.
await using var controller = await StartControllerAsync("measured", controllerArgs);
await WaitForQuietPoolAsync(controller);
using var callers = new AllocationClient(controller.ApiAddress, cluster, controller, "bench", "default");
async Task<bool> AllocateAsync(int caller, CancellationToken cancellationToken) => await callers.AllocateAsync($"client-{caller}", cancellationToken) is not null;

Console.WriteLine($"warming up: {warmupCount} allocations at {warmupRate}/s");
var warmupStart = await RuntimeCounters.ScrapeAsync(controller, ct);
var warmupRun = await LatencyRun.OpenLoopAsync(warmupCount, warmupRate, clients, AllocateAsync, ct);
var warmupEnd = await RuntimeCounters.ScrapeAsync(controller, ct);
Console.WriteLine($"warm-up: {warmupRun.Summary()}; the controller JIT-compiled {(warmupEnd - warmupStart).JitCompiledMethods:F0} methods");
await WaitForQuietPoolAsync(controller);

Console.WriteLine($"latency: {count} allocations at {rate}/s");
var window = await CostWindow.OpenAsync(controller, server, ct);
var latency = await LatencyRun.OpenLoopAsync(count, rate, clients, AllocateAsync, ct);
var latencyCosts = await window.CloseAsync(count, ct);
Console.WriteLine($"latency: {latency.Summary()}");
await WaitForQuietPoolAsync(controller);

Console.WriteLine($"throughput: {count} allocations by {clients} callers");
window = await CostWindow.OpenAsync(controller, server, ct);
var throughput = await LatencyRun.ClosedLoopAsync(count, clients, AllocateAsync, ct);
var throughputCosts = await window.CloseAsync(count, ct);
Console.WriteLine($"throughput: {throughput.Summary()}");

var command = $"bash bench/allocation.sh --count {count} --rate {rate} --clients {clients} --warmup-seconds {warmupSeconds} --warmup-rate {warmupRate}"
    + (controllerArgs.Length > 0 ? $" --controller-args \"{string.Join(' ', controllerArgs)}\"" : "")
    + (controllerEnvironment.Length > 0 ? $" --controller-env {string.Join(',', controllerEnvironment)}" : "");
var report = string.Create(CultureInfo.InvariantCulture, $"""
    | | latency run: {rate}/s offered (open loop) | throughput run: {clients} callers (closed loop) | SPEC §6 target |
    |---|---|---|---|
    | warm allocations | {count} ({latency.Failures} failed) | {count} ({throughput.Failures} failed) | |
    | latency p50 | {latency.Percentile(0.50):F1} ms | {throughput.Percentile(0.50):F1} ms | |
    | latency p90 | {latency.Percentile(0.90):F1} ms | {throughput.Percentile(0.90):F1} ms | |
    | latency p99 | {latency.Percentile(0.99):F1} ms | {throughput.Percentile(0.99):F1} ms | ≤ 20 ms |
    | latency max | {latency.Max:F1} ms | {throughput.Max:F1} ms | |
    | allocations/s | {latency.Throughput:F0} | {throughput.Throughput:F0} | ≥ 200/s |
    | controller CPU per allocation | {latencyCosts.ControllerCpuMilliseconds:F1} ms | {throughputCosts.ControllerCpuMilliseconds:F1} ms | |
    | fake API server and callers CPU per allocation | {latencyCosts.OwnCpuMilliseconds:F1} ms | {throughputCosts.OwnCpuMilliseconds:F1} ms | |
    | controller runtime during the run | {latencyCosts.Runtime.Describe()} | {throughputCosts.Runtime.Describe()} | |
    | fake API server runtime during the run | {latencyCosts.OwnRuntime.Describe()} | {throughputCosts.OwnRuntime.Describe()} | |
    | CPU stolen by the hypervisor during the run | {latencyCosts.StealPercent:F1} % | {throughputCosts.StealPercent:F1} % | |
    | API server requests per allocation (during the run) | {latencyCosts.Requests} | {throughputCosts.Requests} | |
    """);
Console.WriteLine(report);
var results = RepositoryFiles.PathOf("bench", "results");
Directory.CreateDirectory(results);
var file = Path.Combine(results, $"allocation-{DateTime.UtcNow:yyyy-MM-dd}.md");
await File.WriteAllTextAsync(file, $"# Allocation benchmark {DateTime.UtcNow:u}\n\n`{command}`\n\n{report}\n", ct);
Console.WriteLine($"written to {file}");
await stop.CancelAsync();
return latency.Failures + throughput.Failures == 0 ? 0 : 1;

async Task<ControllerProcess> StartControllerAsync(string name, IReadOnlyList<string> arguments)
{
    var environment = new Dictionary<string, string>(StringComparer.Ordinal) { ["LOG_LEVEL"] = Environment.GetEnvironmentVariable("LOG_LEVEL") ?? "info" };
    foreach (var variable in controllerEnvironment)
    {
        var (key, value) = (variable[..variable.IndexOf('=', StringComparison.Ordinal)], variable[(variable.IndexOf('=', StringComparison.Ordinal) + 1)..]);
        environment[key] = value;
    }

    var log = Path.Combine(work.FullName, $"controller-{name}.log");
    var started = ControllerProcess.Start(controllerPath, kubeconfig, maxConcurrentReconciles: 4, environment, log, arguments);
    Console.WriteLine($"{name} controller: pid {started.Id} {string.Join(' ', arguments)}");
    while (!await started.IsReadyAsync(ct))
    {
        if (started.HasExited)
        {
            throw new InvalidOperationException($"the {name} controller exited; see {log}");
        }

        await Task.Delay(200, ct);
    }

    return started;
}

// Every worker warm and unallocated and the controller's work queues empty.
async Task WaitForQuietPoolAsync(ControllerProcess process)
{
    for (var round = 1; ; round++)
    {
        var pool = await cluster.For<BuildKitPool>().GetAsync("default", "bench", ct);
        if (pool.Status?.Workers?.Idle >= warm - Allocated(pool) && (await process.ScrapeAsync(ct))?.Sum("workqueue_depth") == 0)
        {
            return;
        }

        if (process.HasExited)
        {
            throw new InvalidOperationException($"the controller exited; see the logs in {work.FullName}");
        }

        if (round % 20 == 0)
        {
            Console.Error.WriteLine($"… {await PoolProgress.DescribeAsync(cluster, "default", "bench", ct)}");
        }

        await Task.Delay(500, ct);
    }
}

static int Allocated(BuildKitPool pool) => pool.Status?.Workers?.Allocated ?? 0;

int Arg(string name, int fallback) =>
    StringArg(name) is { } value && int.TryParse(value, CultureInfo.InvariantCulture, out var parsed) ? parsed : fallback;

string? StringArg(string name)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}
