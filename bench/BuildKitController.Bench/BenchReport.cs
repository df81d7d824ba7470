using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using BuildKitController.Testing;

namespace BuildKitController.Bench;

/// <summary>What a run measured, rendered as a console table and as the Markdown report.</summary>
internal sealed class BenchReport(BenchOptions options, string controllerPath, DateTimeOffset startedAt)
{
    /// <summary>Steady CPU at or below this (percent of one core) counts as "near zero".</summary>
    public const double NearZeroCpuPercent = 1.0;

    private static readonly TimeSpan RestartTarget = TimeSpan.FromSeconds(30);
    private const double RssTargetMegabytes = 200;

    private readonly string _machine = Machine.Describe();
    private readonly string _revision = Machine.GitRevision();

    public DateTimeOffset StartedAt => startedAt;

    public bool Completed { get; set; }

    public string? Failure { get; set; }

    public TimeSpan? ColdReady { get; set; }

    public TimeSpan? ColdConverged { get; set; }

    public ProcessStats? ColdStats { get; set; }

    public double? ColdWorkersInCache { get; set; }

    public RequestSummary ColdRequests { get; set; } = RequestSummary.Empty;

    public int ColdLogLines { get; set; }

    /// <summary>The cold-start controller's metrics when it did not converge (for the report).</summary>
    public PrometheusText? ColdFinalMetrics { get; set; }

    /// <summary>The objects the controller caches, measured after the cold start.</summary>
    public IReadOnlyList<InventoryLine> Inventory { get; set; } = [];

    /// <summary>Managed memory of the controller's informer caches (<c>--probe-caches</c>), else empty.</summary>
    public IReadOnlyList<CacheProbeLine> CacheProbe { get; set; } = [];

    /// <summary>The baseline restart first, then the variants.</summary>
    public List<RestartResult> Restarts { get; } = [];

    private int WriteBudget => Math.Max(1, options.Pools / 100);

    /// <summary>The headline rows for one restart: measure, result, SPEC target, verdict.</summary>
    /// <remarks>The cold-start rows belong to the first column only: every restart shares the one cold start.</remarks>
    private IEnumerable<(string Measure, string Result, string Target, string Verdict)> Rows(RestartResult? restart)
    {
        var first = Restarts.Count == 0 || restart == Restarts[0];
        var steady = restart?.Steady;
        int? writes = restart?.Converged is null ? null : restart.Requests.Writes;
        var cold = options.RampPools > 0 ? Invariant($"cold start → converged (pools added {options.RampPools} at a time)") : "cold start → converged";
        yield return (cold, first ? Seconds(ColdConverged) : "", "— (not a target)", "");
        yield return ("restart → /readyz 200", Seconds(restart?.Ready), "—", "");
        yield return ("restart → converged", Seconds(restart?.Converged), "≤ 30 s", Verdict(restart?.Converged, t => t <= RestartTarget));
        yield return ("restart writes", Format(writes, "F0"), Invariant($"almost none (≤ {WriteBudget})"), Verdict(writes, w => w <= WriteBudget));
        var cpu = steady is null ? "steady CPU (% of one core)" : Invariant($"steady CPU (% of one core, {steady.Window.TotalSeconds:F0} s)");
        yield return (cpu, Format(steady?.CpuPercent, "F2"), Invariant($"near zero (≤ {NearZeroCpuPercent:F0} %)"), Verdict(steady?.CpuPercent, c => c <= NearZeroCpuPercent));
        yield return ("steady RSS (MB, average)", Format(Megabytes(steady?.RssAverageBytes), "F0"), "≤ 200 MB", Verdict(Megabytes(steady?.RssAverageBytes), m => m <= RssTargetMegabytes));
        yield return ("peak RSS (MB, restarted process)", Format(Megabytes(steady?.Final.PeakRssBytes), "F0"), "≤ 200 MB", Verdict(Megabytes(steady?.Final.PeakRssBytes), m => m <= RssTargetMegabytes));
        yield return ("peak RSS (MB, cold-start process)", first ? Format(Megabytes(ColdStats?.PeakRssBytes), "F0") : "", "— (information)", "");
    }

    /// <summary>The headline table: measure, one result column per restart, SPEC target, verdicts.</summary>
    private (List<string> Header, List<List<string>> Rows) Table()
    {
        var restarts = Restarts.Count == 0 ? [null] : Restarts.Cast<RestartResult?>().ToList();
        var columns = restarts.Select(r => Rows(r).ToList()).ToList();
        List<string> header = ["measure", .. restarts.Select(r => r is null || restarts.Count == 1 ? "result" : r.Label), "SPEC §6 target", "verdict"];
        var rows = columns[0].Select((row, i) => (List<string>)[
            row.Measure,
            .. columns.Select(c => c[i].Result),
            row.Target,
            string.Join(" / ", columns.Select(c => c[i].Verdict).Where(v => v.Length > 0)),
        ]).ToList();
        return (header, rows);
    }

    public string ToConsoleTable()
    {
        var (header, table) = Table();
        var widths = header.Select((h, c) => Math.Max(h.Length, table.Max(r => r[c].Length))).ToList();
        var builder = new StringBuilder();
        builder.AppendLine(Invariant($"controller benchmark, {options.Pools} pools x {options.WorkersPerPool} workers ({options.Workers} workers)"));
        builder.AppendLine(Line(header));
        builder.AppendLine(new string('-', widths.Sum() + (2 * (widths.Count - 1))));
        foreach (var row in table)
        {
            builder.AppendLine(Line(row));
        }

        if (Failure is not null)
        {
            builder.AppendLine(Invariant($"INCOMPLETE: {Failure}"));
        }

        return builder.ToString();

        // Measures and targets left-aligned, results right-aligned.
        string Line(List<string> cells) =>
            string.Join("  ", cells.Select((c, i) => i == 0 || i >= cells.Count - 2 ? c.PadRight(widths[i]) : c.PadLeft(widths[i]))).TrimEnd();
    }

    public string ToMarkdown()
    {
        var b = new StringBuilder();
        b.AppendLine(Invariant($"# Controller benchmark, {startedAt:yyyy-MM-dd HH:mm zzz}"));
        b.AppendLine();
        b.AppendLine(Invariant($"{options.Pools} BuildKitPools x {options.WorkersPerPool} warm workers = {options.Workers} BuildKitWorkers (and as many pods) in the in-process fake API server ")
            + Invariant($"(simulated kubelet and deployment controller), pools spread over {Math.Min(options.Namespaces, options.Pools)} namespaces. ")
            + "The controller is the Release build run as a child process (`dotnet buildkit-controller.dll run`, `LOG_LEVEL=warning`, "
            + Invariant($"`--max-concurrent-reconciles {options.MaxConcurrentReconciles}`, no leader election). Produced by `bash bench/controller.sh`; see `bench/README.md`."));
        b.AppendLine();
        if (Failure is not null)
        {
            b.AppendLine(Invariant($"**Incomplete run:** {Failure}"));
            b.AppendLine();
        }

        var (header, table) = Table();
        b.AppendLine("| " + string.Join(" | ", header) + " |");
        b.AppendLine("|---|" + string.Concat(header.Skip(1).SkipLast(2).Select(_ => "---:|")) + "---|---|");
        foreach (var row in table)
        {
            b.AppendLine("| " + string.Join(" | ", row) + " |");
        }

        b.AppendLine();
        b.AppendLine("## Details");
        b.AppendLine();
        b.AppendLine(options.RampPools > 0
            ? Invariant($"Cold start (pools created {options.RampPools} at a time, each batch once the previous one converged):")
            : "Cold start (every pool created before the controller starts, nothing else in the cluster):");
        b.AppendLine();
        b.AppendLine(Invariant($"- `/readyz` 200 after {Seconds(ColdReady)}; converged after {Seconds(ColdConverged)} (every pool Ready with {options.WorkersPerPool} idle of {options.WorkersPerPool} workers, every work queue empty)."));
        b.AppendLine(Invariant($"- {ColdRequests.Requests} requests, {ColdRequests.Writes} writes{Rate(ColdRequests.Writes, ColdConverged)}; workers in the controller's cache at convergence: {Format(ColdWorkersInCache, "F0")}."));
        b.AppendLine(Invariant($"- controller CPU {Format(ColdStats?.CpuTime.TotalSeconds, "F1")} s, RSS {Format(Megabytes(ColdStats?.RssBytes), "F0")} MB, peak {Format(Megabytes(ColdStats?.PeakRssBytes), "F0")} MB; {ColdLogLines} warning/error log lines."));
        AppendWrites(b, "Cold-start writes", ColdRequests);
        if (ColdFinalMetrics is { } final)
        {
            b.AppendLine("- the controller's metrics when the cold start was given up:");
            b.AppendLine("  - reconciles: " + Pairs(final.Series("controller_runtime_reconcile_total").Select(s =>
                KeyValuePair.Create($"{s.Labels.GetValueOrDefault("controller")} {s.Labels.GetValueOrDefault("result")}", s.Value))));
            b.AppendLine("  - work queue depth: " + Pairs(final.SumBy("workqueue_depth", "name")));
            b.AppendLine("  - workers by phase (`buildkit_workers_total`): " + Pairs(final.SumBy("buildkit_workers_total", "phase")));
            b.AppendLine("  - scale operations (`buildkit_controller_scale_operations_total`): " + Pairs(final.SumBy("buildkit_controller_scale_operations_total", "operation")));
        }
        AppendInventory(b);
        AppendCacheProbe(b);
        foreach (var restart in Restarts)
        {
            AppendRestart(b, restart);
        }

        b.AppendLine();
        b.AppendLine("## Environment");
        b.AppendLine();
        b.AppendLine(Invariant($"- {_machine}"));
        b.AppendLine(Invariant($"- revision {_revision}; controller `{Path.GetRelativePath(RepositoryFiles.RootDirectory, controllerPath)}`"));
        b.AppendLine(Invariant($"- fake API server history limit {options.HistoryLimit} events; timeouts: cold {options.ColdTimeout.TotalSeconds:F0} s (stall {options.StallTimeout.TotalSeconds:F0} s), restart {options.RestartTimeout.TotalSeconds:F0} s"));
        b.AppendLine("- Other work may have shared the machine (load average above); the fake API server runs in the benchmark process and competes with the controller for the same cores.");
        return b.ToString();
    }

    private void AppendInventory(StringBuilder b)
    {
        if (Inventory.Count == 0)
        {
            return;
        }

        b.AppendLine();
        b.AppendLine("Objects in the cluster after the cold start, as JSON in the fake API server (the kinds the controller caches):");
        b.AppendLine();
        b.AppendLine("| kind | count | JSON MB | average bytes | of which managedFields |");
        b.AppendLine("|---|---:|---:|---:|---:|");
        foreach (var line in Inventory.Append(new InventoryLine("total", Inventory.Sum(l => l.Count), Inventory.Sum(l => l.JsonBytes), Inventory.Sum(l => l.ManagedFieldsBytes))))
        {
            var average = line.Count == 0 ? 0 : line.JsonBytes / line.Count;
            var share = line.JsonBytes == 0 ? 0 : 100.0 * line.ManagedFieldsBytes / line.JsonBytes;
            b.AppendLine(Invariant($"| {line.Kind} | {line.Count} | {Megabytes(line.JsonBytes):F1} | {average} | {share:F0} % |"));
        }
    }

    private void AppendCacheProbe(StringBuilder b)
    {
        if (CacheProbe.Count == 0)
        {
            return;
        }

        b.AppendLine();
        b.AppendLine("Informer caches rebuilt in the benchmark process (`--probe-caches`: same client, models and selectors as the controller; "
            + "managed memory retained after a full collection, one kind at a time):");
        b.AppendLine();
        b.AppendLine("| cache | objects | retained MB | bytes per object | managedFields JSON MB kept |");
        b.AppendLine("|---|---:|---:|---:|---:|");
        var total = new CacheProbeLine("total", CacheProbe.Sum(l => l.Objects), CacheProbe.Sum(l => l.RetainedBytes), CacheProbe.Sum(l => l.ManagedFieldsBytes));
        foreach (var line in CacheProbe.Append(total))
        {
            var perObject = line.Objects == 0 ? 0 : line.RetainedBytes / line.Objects;
            b.AppendLine(Invariant($"| {line.Kind} | {line.Objects} | {Megabytes(line.RetainedBytes):F1} | {perObject} | {Megabytes(line.ManagedFieldsBytes):F1} |"));
        }
    }

    private void AppendRestart(StringBuilder b, RestartResult restart)
    {
        b.AppendLine();
        var environment = restart.Environment.Count == 0 ? "" : " with " + string.Join(", ", restart.Environment.Select(e => $"`{e.Key}={e.Value}`"));
        b.AppendLine(Invariant($"Restart, {restart.Label} (SIGKILL of the previous process, then a fresh one{environment} over the converged cluster):"));
        b.AppendLine();
        if (restart.Failure is not null)
        {
            b.AppendLine(Invariant($"- **failed:** {restart.Failure}"));
        }

        b.AppendLine(Invariant($"- `/readyz` 200 after {Seconds(restart.Ready)} (informer caches synced); converged after {Seconds(restart.Converged)} ")
            + Invariant($"(`controller_runtime_reconcile_total{{controller=\"buildkitpool\"}}` = {restart.PoolReconciles:F0} ≥ {options.Pools} and every `workqueue_depth` 0)."));
        b.AppendLine(Invariant($"- worker reconciles at that point: {restart.WorkerReconciles:F0}; every worker key reconciled (≥ {options.Workers}) after {Seconds(restart.WorkersReconciled)}."));
        b.AppendLine(Invariant($"- {restart.Requests.Requests} requests from process start to convergence, {restart.Requests.Writes} of them writes; pools still converged afterwards: {Format(restart.PoolsStillConverged, "F0")}/{options.Pools}."));
        b.AppendLine(Invariant($"- controller CPU {Format(restart.AtConvergence?.CpuTime.TotalSeconds, "F1")} s and RSS {Format(Megabytes(restart.AtConvergence?.RssBytes), "F0")} MB at convergence; {restart.LogLines} warning/error log lines."));
        AppendWrites(b, "Restart writes", restart.Requests);
        if (restart.Steady is not { } steady)
        {
            return;
        }

        b.AppendLine(Invariant($"- settle, {steady.Settle.TotalSeconds:F0} s right after convergence (background JIT tiering, the last status writes): controller CPU {steady.SettleCpuPercent:F1} % of one core."));
        b.AppendLine(Invariant($"- steady state, {steady.Window.TotalSeconds:F0} s after that (sampled every second; `/metrics` scraped only before and after):"));
        b.AppendLine(Invariant($"  - CPU {steady.CpuPercent:F2} % of one core on average (utime+stime of `/proc/<pid>/stat`), highest one-second sample {steady.CpuMaxPercent:F1} %; per second: ")
            + string.Join(' ', steady.CpuSeries.Select(c => c.ToString("F0", CultureInfo.InvariantCulture))) + ".");
        if (steady.CpuSeries.Count > 60)
        {
            b.AppendLine(Invariant($"  - CPU over the first 60 s: {steady.CpuPercentOverFirst(60):F2} % of one core."));
        }

        b.AppendLine(Invariant($"  - RSS (`VmRSS`) average {Megabytes(steady.RssAverageBytes):F0} MB, highest {Megabytes(steady.RssMaxBytes):F0} MB; `VmHWM` {Megabytes(steady.Final.PeakRssBytes):F0} MB."));
        b.AppendLine(Invariant($"  - {steady.Requests.Requests} requests ({steady.Requests.Writes} writes) and {Format(steady.Reconciles, "F0")} reconciles in the window; the benchmark process (fake API server) used {steady.BenchCpuPercent:F1} % of one core."));
    }

    private static void AppendWrites(StringBuilder b, string title, RequestSummary summary)
    {
        if (summary.Writes == 0)
        {
            return;
        }

        b.AppendLine(Invariant($"- {title} by verb and resource: ") + string.Join(", ", summary.WritesByKind.Select(w => Invariant($"`{w.Key}` {w.Value}"))) + ".");
    }

    private static string Pairs(IEnumerable<KeyValuePair<string, double>> pairs) =>
        string.Join(", ", pairs.Select(p => Invariant($"{p.Key} {p.Value:F0}")));

    private static string Rate(int writes, TimeSpan? over) =>
        over is { TotalSeconds: > 0 } t ? Invariant($" ({writes / t.TotalSeconds:F0}/s)") : "";

    private static string Verdict<T>(T? value, Func<T, bool> met)
        where T : struct => value is { } v ? met(v) ? "met" : "MISSED" : "n/a";

    private static string Seconds(TimeSpan? value) => value is { } v ? Invariant($"{v.TotalSeconds:F2} s") : "n/a";

    private static string Format(double? value, string format) => value is { } v ? v.ToString(format, CultureInfo.InvariantCulture) : "n/a";

    private static double? Megabytes(long? bytes) => bytes / (1024.0 * 1024.0);

    private static double Megabytes(long bytes) => bytes / (1024.0 * 1024.0);

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);

    /// <summary>Facts about the machine and the checkout, for the report.</summary>
    private static class Machine
    {
        public static string Describe()
        {
            var memory = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal))?.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [_, var kb, ..]
                && long.TryParse(kb, NumberStyles.None, CultureInfo.InvariantCulture, out var total) ? Invariant($"{total / 1024.0 / 1024.0:F0} GB") : "unknown";
            var load = File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
            return Invariant($"{Environment.ProcessorCount} cores, {memory} memory, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}; load average at start {load}");
        }

        public static string GitRevision()
        {
            try
            {
                // The benchmark itself (bench/, its line in the solution) does not count as a change to what is measured.
                var head = Git("rev-parse --short HEAD");
                var dirty = Git("status --porcelain --untracked-files=no -- . :!bench :!BuildKitController.slnx").Length > 0;
                return head.Length == 0 ? "unknown" : dirty ? head + " (with uncommitted changes outside bench/)" : head;
            }
            catch (System.ComponentModel.Win32Exception)
            {
                return "unknown (git not found)";
            }
        }

        private static string Git(string arguments)
        {
            using var git = Process.Start(new ProcessStartInfo("git", $"-C \"{RepositoryFiles.RootDirectory}\" {arguments}")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            })!;
            var output = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            return git.ExitCode == 0 ? output : "";
        }
    }
}
