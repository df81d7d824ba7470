using System.Diagnostics;
using System.Globalization;
using BuildKitController.Core.Api.V1Alpha1;
using BuildKitController.Kubernetes.Client;
using BuildKitController.Kubernetes.Configuration;
using BuildKitController.Kubernetes.Models;
using BuildKitController.Testing;
using BuildKitController.Testing.FakeKubernetes;

namespace BuildKitController.Bench;

/// <summary>
/// The controller scenario of SPEC §6: pools in the fake API server, the real controller as a child process;
/// cold start to convergence, SIGKILL and restart to convergence (with the writes the restart issued), then a
/// steady-state window of CPU and RSS samples.
/// </summary>
internal static class ControllerBenchmark
{
    /// <summary>The user the controller authenticates as (its requests are told apart in the request log by it).</summary>
    private const string ControllerUser = "system:serviceaccount:buildkit-system:buildkit-controller";

    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(10);

    /// <summary>How often the restart phase scrapes <c>/metrics</c> (the resolution of "restart → converged").</summary>
    private static readonly TimeSpan ScrapeInterval = TimeSpan.FromMilliseconds(500);

    public static async Task<int> RunAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        var controllerPath = options.ResolveControllerPath();
        if (!File.Exists(controllerPath))
        {
            await Console.Error.WriteLineAsync($"error: {controllerPath} not found; build it first (bash bench/controller.sh builds Release).");
            return 2;
        }

        var report = new BenchReport(options, controllerPath, DateTimeOffset.Now);
        var work = Directory.CreateTempSubdirectory("buildkit-bench-");
        Console.WriteLine($"controller benchmark: {options.Pools} pools x {options.WorkersPerPool} workers = {options.Workers} workers over {Math.Min(options.Namespaces, options.Pools)} namespaces");
        Console.WriteLine($"controller: {controllerPath}");
        Console.WriteLine($"work directory (kubeconfig, controller logs): {work.FullName}");

        await using var server = await FakeApiServer.StartAsync(new FakeApiServerOptions
        {
            SimulateKubelet = true,
            SimulateDeploymentController = true,
            HistoryLimit = options.HistoryLimit,
            InitialNamespaces = ["default", "kube-system", "buildkit-system", .. options.PoolNamespaces],
        }, cancellationToken);
        await server.LoadCustomResourceDefinitionsAsync(RepositoryFiles.PathOf("deploy", "crds"), cancellationToken);
        var token = $"controller-{Guid.NewGuid():N}";
        server.AddToken(token, ControllerUser, "system:serviceaccounts", "system:serviceaccounts:buildkit-system", "system:authenticated");
        var kubeconfig = await server.WriteKubeconfigAsync(Path.Combine(work.FullName, "kubeconfig"), cancellationToken, token);

        try
        {
            if (await ColdStartAsync(server, options, controllerPath, kubeconfig, work.FullName, report, cancellationToken))
            {
                var runs = options.RestartRuns();
                for (var i = 0; i < runs.Count; i++)
                {
                    var result = await RestartAsync(server, options, controllerPath, kubeconfig, Path.Combine(work.FullName, $"controller-restart-{i}.log"),
                        new RestartResult(runs[i].Label, runs[i].Environment), cancellationToken);
                    report.Restarts.Add(result);
                    if (result.Failure is not null)
                    {
                        report.Failure = $"{result.Label}: {result.Failure}";
                        break;
                    }
                }

                report.Completed = report.Failure is null;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            report.Failure ??= "interrupted (SIGINT or SIGTERM)";
        }
        finally
        {
            var output = options.ResolveOutputPath(report.StartedAt);
            Directory.CreateDirectory(Path.GetDirectoryName(output)!);
            await File.WriteAllTextAsync(output, report.ToMarkdown(), CancellationToken.None);
            Console.WriteLine();
            Console.WriteLine(report.ToConsoleTable());
            Console.WriteLine($"report written to {output}");
        }

        return report.Completed ? 0 : 1;
    }

    /// <summary>Creates pools <paramref name="from"/> (inclusive) to <paramref name="to"/> (exclusive) through the API.</summary>
    private static async Task CreatePoolsAsync(FakeApiServer server, BenchOptions options, int from, int to, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        using var client = new KubernetesClient(KubeconfigLoader.LoadFromString(server.CreateKubeconfig()),
            new KubernetesClientOptions { QueriesPerSecond = 0, UserAgent = "buildkit-bench" });
        var pools = client.For<BuildKitPool>();
        await Parallel.ForEachAsync(Enumerable.Range(from, to - from), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (i, ct) => await pools.CreateAsync(new BuildKitPool
            {
                Metadata = new ObjectMeta { Name = BenchOptions.PoolName(i), Namespace = options.NamespaceOf(i) },
                Spec = new BuildKitPoolSpec { Scaling = new ScalingConfig { Min = options.WorkersPerPool, Max = options.WorkersPerPool } },
            }, ct));
        Console.WriteLine($"  created pools {from}..{to - 1} through the API in {clock.Elapsed.TotalSeconds:F1} s");
    }

    /// <summary>Phase 1: the controller starts against unreconciled pools; until every pool is converged and every queue is empty.</summary>
    private static async Task<bool> ColdStartAsync(FakeApiServer server, BenchOptions options, string controllerPath, string kubeconfig, string work,
        BenchReport report, CancellationToken cancellationToken)
    {
        Console.WriteLine();
        Console.WriteLine(options.RampPools > 0 ? $"== cold start (pools created {options.RampPools} at a time) ==" : "== cold start ==");
        var created = options.RampPools > 0 ? Math.Min(options.RampPools, options.Pools) : options.Pools;
        await CreatePoolsAsync(server, options, 0, created, cancellationToken);
        server.RequestLog.Clear();
        await using var controller = ControllerProcess.Start(controllerPath, kubeconfig, options.MaxConcurrentReconciles, options.ControllerEnvironment, Path.Combine(work, "controller-cold.log"),
            options.ColdStartQps > 0 ? ["--kube-api-qps", options.ColdStartQps.ToString(CultureInfo.InvariantCulture), "--kube-api-burst", (options.ColdStartQps * 2).ToString(CultureInfo.InvariantCulture)] : []);
        var lastProgress = TimeSpan.Zero;
        var best = (Ready: -1, Converged: -1, Idle: -1L, At: TimeSpan.Zero);
        while (controller.Elapsed < options.ColdTimeout)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            if (controller.HasExited)
            {
                report.Failure = $"the controller exited during the cold start; see {Path.Combine(work, "controller-cold.log")}";
                return false;
            }

            if (report.ColdReady is null && await controller.IsReadyAsync(cancellationToken))
            {
                report.ColdReady = controller.Elapsed;
            }

            var pools = PoolProgress.Read(server, options.WorkersPerPool);
            if (pools.Ready > best.Ready || pools.Converged > best.Converged || pools.IdleWorkers > best.Idle)
            {
                best = (Math.Max(best.Ready, pools.Ready), Math.Max(best.Converged, pools.Converged), Math.Max(best.Idle, pools.IdleWorkers), controller.Elapsed);
            }
            else if (controller.Elapsed - best.At >= options.StallTimeout)
            {
                report.Failure = $"cold start stalled: no pool became ready or converged and no worker became idle for {options.StallTimeout.TotalSeconds:F0} s "
                    + $"({pools.Converged}/{options.Pools} pools converged, {pools.IdleWorkers}/{options.Workers} workers idle at {controller.Elapsed.TotalSeconds:F0} s)";
                Progress(controller, pools, await controller.ScrapeAsync(cancellationToken), options);
                break;
            }

            if (pools.Converged == created && created < options.Pools)
            {
                var next = Math.Min(created + options.RampPools, options.Pools);
                await CreatePoolsAsync(server, options, created, next, cancellationToken);
                created = next;
                continue;
            }

            var metrics = pools.Converged == options.Pools || controller.Elapsed - lastProgress >= ProgressInterval
                ? await controller.ScrapeAsync(cancellationToken)
                : null;
            var depth = metrics is null ? -1 : metrics.Sum("workqueue_depth");
            if (pools.Converged == options.Pools && depth == 0)
            {
                report.ColdConverged = controller.Elapsed;
                report.ColdStats = controller.Stats();
                report.ColdWorkersInCache = metrics!.Sum("buildkit_workers_total");
                break;
            }

            if (controller.Elapsed - lastProgress >= ProgressInterval)
            {
                lastProgress = controller.Elapsed;
                Progress(controller, pools, metrics, options);
            }
        }

        report.ColdRequests = RequestSummary.Of(server.RequestLog.Entries, ControllerUser);
        report.ColdLogLines = controller.LoggedLines;
        server.RequestLog.Clear();
        if (report.ColdConverged is null)
        {
            report.ColdStats = controller.HasExited ? null : controller.Stats();
            report.ColdFinalMetrics = controller.HasExited ? null : await controller.ScrapeAsync(cancellationToken);
            report.Failure ??= $"cold start did not converge within {options.ColdTimeout.TotalSeconds:F0} s";
            return false;
        }

        Console.WriteLine($"converged after {report.ColdConverged.Value.TotalSeconds:F1} s ({report.ColdRequests.Writes} writes); SIGKILL");
        await controller.KillAsync();
        report.Inventory = ClusterInventory.Take(server);
        if (options.ProbeCaches)
        {
            Console.WriteLine("probing the informer caches' memory");
            report.CacheProbe = await CacheProbe.MeasureAsync(server, cancellationToken);
            GC.Collect();
        }

        return true;
    }

    /// <summary>Phases 2 and 3: a fresh process over the converged cluster; readiness, convergence, writes, then the steady window.</summary>
    private static async Task<RestartResult> RestartAsync(FakeApiServer server, BenchOptions options, string controllerPath, string kubeconfig, string logPath,
        RestartResult result, CancellationToken cancellationToken)
    {
        Console.WriteLine();
        Console.WriteLine($"== restart ({result.Label}) ==");
        server.RequestLog.Clear();
        await using var controller = ControllerProcess.Start(controllerPath, kubeconfig, options.MaxConcurrentReconciles, result.Environment, logPath);
        var lastScrape = TimeSpan.Zero;
        var lastProgress = TimeSpan.Zero;
        while (controller.Elapsed < options.RestartTimeout)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken);
            if (controller.HasExited)
            {
                result.Failure = $"the restarted controller exited; see {logPath}";
                return result;
            }

            if (result.Ready is null)
            {
                if (await controller.IsReadyAsync(cancellationToken))
                {
                    result.Ready = controller.Elapsed;
                    Console.WriteLine($"/readyz 200 after {result.Ready.Value.TotalSeconds:F2} s");
                }

                continue;
            }

            // A scrape renders every series (8,500 lines and ~20 ms of the controller's CPU at full size), so not on every tick.
            if (controller.Elapsed - lastScrape < ScrapeInterval)
            {
                continue;
            }

            lastScrape = controller.Elapsed;
            var at = controller.Elapsed;
            if (await controller.ScrapeAsync(cancellationToken) is not { } metrics)
            {
                continue;
            }

            var poolReconciles = metrics.Sum("controller_runtime_reconcile_total", ("controller", "buildkitpool"));
            var workerReconciles = metrics.Sum("controller_runtime_reconcile_total", ("controller", "buildkitworker"));
            var depth = metrics.Sum("workqueue_depth");
            if (result.WorkersReconciled is null && workerReconciles >= options.Workers)
            {
                result.WorkersReconciled = at;
            }

            if (poolReconciles >= options.Pools && depth == 0)
            {
                result.Converged = at;
                result.AtConvergence = controller.Stats();
                result.PoolReconciles = poolReconciles;
                result.WorkerReconciles = workerReconciles;
                break;
            }

            if (controller.Elapsed - lastProgress >= ProgressInterval)
            {
                lastProgress = controller.Elapsed;
                Progress(controller, PoolProgress.Read(server, options.WorkersPerPool), metrics, options);
            }
        }

        result.Requests = RequestSummary.Of(server.RequestLog.Entries, ControllerUser);
        result.LogLines = controller.LoggedLines;
        if (result.Converged is null)
        {
            result.Failure = result.Ready is null
                ? $"the restarted controller was not ready within {options.RestartTimeout.TotalSeconds:F0} s"
                : $"the restarted controller did not converge within {options.RestartTimeout.TotalSeconds:F0} s";
            return result;
        }

        Console.WriteLine($"converged after {result.Converged.Value.TotalSeconds:F2} s with {result.Requests.Writes} writes");
        result.PoolsStillConverged = PoolProgress.Read(server, options.WorkersPerPool).Converged;
        result.Steady = await SteadyStateAsync(server, options, controller, cancellationToken);
        result.LogLines = controller.LoggedLines;
        return result;
    }

    /// <summary>
    /// Phase 3: after a settle period (its CPU reported apart), CPU time and RSS of the converged controller, sampled
    /// every second; nothing scraped in between.
    /// </summary>
    private static async Task<SteadyResult> SteadyStateAsync(FakeApiServer server, BenchOptions options, ControllerProcess controller,
        CancellationToken cancellationToken)
    {
        var settleStart = controller.Stats();
        var settleClock = Stopwatch.StartNew();
        if (options.SettleDuration > TimeSpan.Zero)
        {
            await Task.Delay(options.SettleDuration, cancellationToken);
        }

        var settleCpu = settleClock.Elapsed > TimeSpan.Zero ? (controller.Stats().CpuTime - settleStart.CpuTime) / settleClock.Elapsed * 100 : 0;
        Console.WriteLine($"-- settle ({options.SettleDuration.TotalSeconds:F0} s): CPU {settleCpu:F1} % of one core --");
        Console.WriteLine($"-- steady state ({options.SteadyDuration.TotalSeconds:F0} s) --");
        var before = await controller.ScrapeAsync(cancellationToken);
        server.RequestLog.Clear();
        using var self = Process.GetCurrentProcess();
        var benchCpuStart = self.TotalProcessorTime;
        var first = controller.Stats();
        var clock = Stopwatch.StartNew();
        var previous = (Cpu: first.CpuTime, At: TimeSpan.Zero);
        var cpu = new List<double>();
        var rss = new List<long>();
        while (clock.Elapsed < options.SteadyDuration)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            var stats = controller.Stats();
            var at = clock.Elapsed;
            cpu.Add((stats.CpuTime - previous.Cpu) / (at - previous.At) * 100);
            rss.Add(stats.RssBytes);
            previous = (stats.CpuTime, at);
        }

        var last = controller.Stats();
        var window = clock.Elapsed;
        self.Refresh();
        var benchCpu = (self.TotalProcessorTime - benchCpuStart) / window * 100;
        var requests = RequestSummary.Of(server.RequestLog.Entries, ControllerUser);
        var after = await controller.ScrapeAsync(cancellationToken);
        double? reconciles = before is not null && after is not null
            ? after.Sum("controller_runtime_reconcile_total") - before.Sum("controller_runtime_reconcile_total")
            : null;
        var steady = new SteadyResult(window, (last.CpuTime - first.CpuTime) / window * 100, cpu, (long)rss.Average(), rss.Max(), last, benchCpu, requests, reconciles, options.SettleDuration, settleCpu);
        Console.WriteLine($"CPU {steady.CpuPercent:F2} % of one core, RSS {last.RssMegabytes:F0} MB (peak {last.PeakRssMegabytes:F0} MB)");
        return steady;
    }

    private static void Progress(ControllerProcess controller, PoolProgress pools, PrometheusText? metrics, BenchOptions options)
    {
        var stats = controller.Stats();
        var queues = metrics is null
            ? "metrics n/a"
            : string.Join(", ", metrics.Series("workqueue_depth").Select(s => $"{s.Labels.GetValueOrDefault("name")}={s.Value:F0}"));
        Console.WriteLine($"  {controller.Elapsed.TotalSeconds,7:F1} s  pools ready {pools.Ready}/{options.Pools}, converged {pools.Converged}, "
            + $"workers idle {pools.IdleWorkers}/{options.Workers} (total {pools.TotalWorkers}); queues {queues}; "
            + $"CPU {stats.CpuTime.TotalSeconds:F0} s, RSS {stats.RssMegabytes:F0} MB");
    }

}
