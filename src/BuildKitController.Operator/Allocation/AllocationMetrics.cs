using System.Diagnostics.Metrics;

namespace BuildKitController.Operator.Allocation;

/// <summary>Allocation metrics (meter <c>BuildKitController.Operator.Allocation</c>).</summary>
internal static class AllocationMetrics
{
    public const string MeterName = "BuildKitController.Operator.Allocation";

    private static readonly Meter Meter = new(MeterName);

    /// <summary><c>buildkit_worker_allocation_duration_seconds{pool}</c>: from request to a ready worker.</summary>
    public static readonly Histogram<double> Latency = Meter.CreateHistogram<double>(
        "buildkit_worker_allocation_duration_seconds", unit: "s", description: "Time from an allocation request to a ready, granted worker.");
}
