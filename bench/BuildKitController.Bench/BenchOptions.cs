using System.Reflection;
using BuildKitController.Testing;

namespace BuildKitController.Bench;

/// <summary>Sizes and limits of one benchmark run.</summary>
internal sealed record BenchOptions
{
    public const int DefaultPools = 1000;
    public const int DefaultWorkersPerPool = 10;

    public int Pools { get; init; } = DefaultPools;

    public int WorkersPerPool { get; init; } = DefaultWorkersPerPool;

    public int Namespaces { get; init; } = 10;

    public TimeSpan SteadyDuration { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// <c>--kube-api-qps</c> of the cold-start controller (burst twice that); 0 leaves the controller's default. The cold
    /// start is not a target, and at the default 50 requests/s its 75,000 writes take 25 minutes; restarted controllers
    /// always run with the defaults.
    /// </summary>
    public int ColdStartQps { get; init; } = 1000;

    /// <summary>Wait between restart convergence and the steady window; the controller's CPU in it is reported apart.</summary>
    public TimeSpan SettleDuration { get; init; } = TimeSpan.FromSeconds(15);

    public TimeSpan ColdTimeout { get; init; } = TimeSpan.FromHours(1);

    public TimeSpan RestartTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Give up on the cold start when no pool became ready or converged and no worker became idle for this long.</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Create the pools this many at a time, each batch once the previous one converged (0: all before the controller starts).</summary>
    public int RampPools { get; init; }

    public int HistoryLimit { get; init; } = 100_000;

    /// <summary>After the cold start, measure the managed memory of the controller's informer caches in this process.</summary>
    public bool ProbeCaches { get; init; }

    public int MaxConcurrentReconciles { get; init; } = 4;

    public string? ControllerPath { get; init; }

    /// <summary>Extra environment of the controller process (experiments: GC settings and the like).</summary>
    public IReadOnlyDictionary<string, string> ControllerEnvironment { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Further restarts over the same converged cluster, each with extra environment on top of <see cref="ControllerEnvironment"/>.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, string>> Variants { get; init; } = [];

    public string? OutputPath { get; init; }

    public int Workers => Pools * WorkersPerPool;

    /// <summary>The controller assembly: the flag, else the Operator's output of the configuration this benchmark was built in.</summary>
    public string ResolveControllerPath()
    {
        if (ControllerPath is not null)
        {
            return ControllerPath;
        }

        var configuration = typeof(BenchOptions).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        return RepositoryFiles.PathOf("src", "BuildKitController.Operator", "bin", configuration, "net10.0", "buildkit-controller.dll");
    }

    /// <summary>The report file: the flag, else <c>bench/results/controller-&lt;date&gt;.md</c> (suffixed for non-default sizes and ramps).</summary>
    public string ResolveOutputPath(DateTimeOffset now)
    {
        if (OutputPath is not null)
        {
            return OutputPath;
        }

        var date = now.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var size = Pools == DefaultPools && WorkersPerPool == DefaultWorkersPerPool ? "" : $"-{Pools}x{WorkersPerPool}";
        var ramp = RampPools > 0 ? $"-ramp{RampPools}" : "";
        return RepositoryFiles.PathOf("bench", "results", $"controller-{date}{size}{ramp}.md");
    }

    /// <summary>The restarts to measure: the baseline, then every variant, with the environment each controller gets.</summary>
    public IReadOnlyList<(string Label, IReadOnlyDictionary<string, string> Environment)> RestartRuns()
    {
        var runs = new List<(string, IReadOnlyDictionary<string, string>)> { ("baseline", ControllerEnvironment) };
        foreach (var variant in Variants)
        {
            var environment = new Dictionary<string, string>(ControllerEnvironment, StringComparer.Ordinal);
            foreach (var (name, value) in variant)
            {
                environment[name] = value;
            }

            runs.Add((string.Join(", ", variant.Select(v => $"{v.Key}={v.Value}")), environment));
        }

        return runs;
    }

    /// <summary>The namespace of pool <paramref name="index"/>.</summary>
    public string NamespaceOf(int index) => NamespaceName(index % Namespaces);

    public IEnumerable<string> PoolNamespaces => Enumerable.Range(0, Math.Min(Namespaces, Pools)).Select(NamespaceName);

    public static string PoolName(int index) => $"pool-{index:D4}";

    private static string NamespaceName(int n) => $"bench-{n:D2}";
}
