namespace BuildKitController.Bench;

/// <summary>One restart of the controller over the converged cluster, and the steady-state window after it.</summary>
internal sealed class RestartResult(string label, IReadOnlyDictionary<string, string> environment)
{
    /// <summary>"baseline", or the variant's environment.</summary>
    public string Label => label;

    /// <summary>Environment given to this controller process on top of the inherited one.</summary>
    public IReadOnlyDictionary<string, string> Environment => environment;

    public string? Failure { get; set; }

    public TimeSpan? Ready { get; set; }

    public TimeSpan? Converged { get; set; }

    public TimeSpan? WorkersReconciled { get; set; }

    public ProcessStats? AtConvergence { get; set; }

    public double PoolReconciles { get; set; }

    public double WorkerReconciles { get; set; }

    public int? PoolsStillConverged { get; set; }

    public RequestSummary Requests { get; set; } = RequestSummary.Empty;

    public int LogLines { get; set; }

    public SteadyResult? Steady { get; set; }
}

/// <summary>CPU and memory of a converged controller over a window of one-second samples.</summary>
internal sealed record SteadyResult(
    TimeSpan Window,
    double CpuPercent,
    IReadOnlyList<double> CpuSeries,
    long RssAverageBytes,
    long RssMaxBytes,
    ProcessStats Final,
    double BenchCpuPercent,
    RequestSummary Requests,
    double? Reconciles,
    TimeSpan Settle,
    double SettleCpuPercent)
{
    public double CpuMaxPercent => CpuSeries.Count == 0 ? CpuPercent : CpuSeries.Max();

    /// <summary>Average CPU over the first <paramref name="seconds"/> one-second samples.</summary>
    public double CpuPercentOverFirst(int seconds) => CpuSeries.Take(seconds).DefaultIfEmpty(CpuPercent).Average();
}
