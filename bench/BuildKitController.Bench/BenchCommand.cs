using System.CommandLine;

namespace BuildKitController.Bench;

/// <summary>The command line of the benchmark: sizes, timeouts and where to write the report.</summary>
internal static class BenchCommand
{
    public static RootCommand Create()
    {
        var pools = new Option<int>("--pools") { Description = "BuildKitPools to create.", DefaultValueFactory = _ => BenchOptions.DefaultPools };
        var workersPerPool = new Option<int>("--workers-per-pool") { Description = "scaling.min (and max) of every pool.", DefaultValueFactory = _ => BenchOptions.DefaultWorkersPerPool };
        var namespaces = new Option<int>("--namespaces") { Description = "Namespaces the pools are spread over (bench-00, bench-01, …).", DefaultValueFactory = _ => 10 };
        var steady = new Option<int>("--steady-seconds") { Description = "Length of the steady-state CPU and RSS sampling window.", DefaultValueFactory = _ => 60 };
        var coldQps = new Option<int>("--cold-start-qps")
        {
            Description = "--kube-api-qps of the cold-start controller (burst twice that; 0: the controller's default). Restarted controllers run with the defaults.",
            DefaultValueFactory = _ => 1000,
        };
        var settle = new Option<int>("--settle-seconds")
        {
            Description = "Time between restart convergence and the steady window (background JIT tiering and the last status writes; its CPU is reported apart).",
            DefaultValueFactory = _ => 15,
        };
        var coldTimeout = new Option<int>("--cold-timeout-seconds") { Description = "Give up on cold-start convergence after this long.", DefaultValueFactory = _ => 3600 };
        var restartTimeout = new Option<int>("--restart-timeout-seconds") { Description = "Give up on restart convergence after this long.", DefaultValueFactory = _ => 300 };
        var stall = new Option<int>("--stall-timeout-seconds") { Description = "Give up on the cold start when no pool became ready or converged and no worker became idle for this long.", DefaultValueFactory = _ => 600 };
        var ramp = new Option<int>("--ramp-pools") { Description = "Create the pools this many at a time, each batch after the previous one converged (0: all before the controller starts).", DefaultValueFactory = _ => 0 };
        var probe = new Option<bool>("--probe-caches") { Description = "After the cold start, measure the managed memory the controller's informer caches retain (rebuilt in this process)." };
        var historyLimit = new Option<int>("--history-limit") { Description = "Watch history the fake API server keeps (events).", DefaultValueFactory = _ => 100_000 };
        var concurrency = new Option<int>("--max-concurrent-reconciles") { Description = "Passed to the controller (its default is 4).", DefaultValueFactory = _ => 4 };
        var controller = new Option<FileInfo?>("--controller") { Description = "buildkit-controller.dll [default: src/BuildKitController.Operator/bin/<configuration>/net10.0/]." };
        var environment = new Option<string[]>("--controller-env") { Description = "NAME=VALUE added to every controller process's environment (repeatable)." };
        var variants = new Option<string[]>("--variant")
        {
            Description = "After the baseline restart, restart again over the same cluster with NAME=VALUE[,NAME=VALUE…] added to the controller's environment (repeatable).",
        };
        var output = new Option<FileInfo?>("--output") { Description = "Report file [default: bench/results/controller-<date>.md, with -<pools>x<workers> for other sizes and -ramp<n> for ramps]." };

        var command = new RootCommand("Controller benchmark (SPEC §6): 1,000 pools and 10,000 workers in the fake API server; "
            + "cold-start and restart convergence, restart writes, steady-state CPU and RSS of the real controller process.")
        {
            pools, workersPerPool, namespaces, steady, settle, coldQps, coldTimeout, restartTimeout, stall, ramp, probe, historyLimit, concurrency, controller, environment, variants, output,
        };
        var minimums = new (Option<int> Option, int Minimum)[]
        {
            (pools, 1), (workersPerPool, 1), (namespaces, 1), (steady, 1), (settle, 0), (coldQps, 0), (coldTimeout, 1), (restartTimeout, 1), (stall, 1), (ramp, 0), (historyLimit, 1000), (concurrency, 1),
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var errors = minimums.Where(m => parse.GetValue(m.Option) < m.Minimum).Select(m => $"error: {m.Option.Name} must be at least {m.Minimum}").ToList();
            var variables = Pairs(parse.GetValue(environment) ?? [], environment.Name, errors);
            var variantList = (parse.GetValue(variants) ?? []).Select(v => (IReadOnlyDictionary<string, string>)Pairs(v.Split(','), variants.Name, errors)).ToList();
            foreach (var error in errors)
            {
                await Console.Error.WriteLineAsync(error);
            }

            if (errors.Count > 0)
            {
                return 2;
            }

            var options = new BenchOptions
            {
                Pools = parse.GetValue(pools),
                WorkersPerPool = parse.GetValue(workersPerPool),
                Namespaces = parse.GetValue(namespaces),
                SteadyDuration = TimeSpan.FromSeconds(parse.GetValue(steady)),
                SettleDuration = TimeSpan.FromSeconds(parse.GetValue(settle)),
                ColdStartQps = parse.GetValue(coldQps),
                ColdTimeout = TimeSpan.FromSeconds(parse.GetValue(coldTimeout)),
                RestartTimeout = TimeSpan.FromSeconds(parse.GetValue(restartTimeout)),
                StallTimeout = TimeSpan.FromSeconds(parse.GetValue(stall)),
                RampPools = parse.GetValue(ramp),
                HistoryLimit = parse.GetValue(historyLimit),
                ProbeCaches = parse.GetValue(probe),
                MaxConcurrentReconciles = parse.GetValue(concurrency),
                ControllerPath = parse.GetValue(controller)?.FullName,
                ControllerEnvironment = variables,
                Variants = variantList,
                OutputPath = parse.GetValue(output)?.FullName,
            };
            return await ControllerBenchmark.RunAsync(options, cancellationToken);
        });
        return command;
    }

    /// <summary>NAME=VALUE pairs; malformed ones become errors.</summary>
    private static Dictionary<string, string> Pairs(IEnumerable<string> items, string flag, List<string> errors)
    {
        var pairs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            if (item.Split('=', 2) is [{ Length: > 0 } name, var value])
            {
                pairs[name.Trim()] = value;
            }
            else
            {
                errors.Add($"error: {flag} \"{item}\" is not NAME=VALUE");
            }
        }

        return pairs;
    }
}
