using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace BuildKitController.Operator.Allocation;

/// <summary>Allocation metrics (meter <c>BuildKitController.Operator.Allocation</c>).</summary>
internal static class AllocationMetrics
{
    public const string MeterName = "BuildKitController.Operator.Allocation";

    private static readonly Meter Meter = new(MeterName);

    private static readonly ConcurrentDictionary<AllocationService, byte> Services = new();

    private static readonly ObservableGauge<int> QueueLength = Meter.CreateObservableGauge(
        "buildkit_allocation_queue_length",
        () => Services.Keys.SelectMany(s => s.QueueLengths()).Select(q => new Measurement<int>(q.Length, new("namespace", q.Namespace), new("pool", q.Pool))),
        description: "Allocation requests waiting for a worker, per pool.");

    /// <summary>Reports the waiting lines of <paramref name="service"/> until the result is disposed.</summary>
    public static IDisposable Track(AllocationService service)
    {
        _ = QueueLength;
        Services[service] = 0;
        return new Registration(service);
    }

    /// <summary><c>buildkit_worker_allocation_duration_seconds{pool}</c>: from request to a ready worker.</summary>
    public static readonly Histogram<double> Latency = Meter.CreateHistogram<double>(
        "buildkit_worker_allocation_duration_seconds", unit: "s", description: "Time from an allocation request to a ready, granted worker.");

    private sealed class Registration(AllocationService service) : IDisposable
    {
        public void Dispose() => Services.TryRemove(service, out _);
    }
}
