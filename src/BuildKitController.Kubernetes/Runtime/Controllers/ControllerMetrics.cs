using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace BuildKitController.Kubernetes.Runtime.Controllers;

/// <summary>Reconcile metrics, named as controller-runtime names them.</summary>
public static class ControllerMetrics
{
    public const string MeterName = "BuildKitController.Runtime";

    private static readonly Meter Meter = new(MeterName);

    internal static readonly Counter<long> ReconcileTotal =
        Meter.CreateCounter<long>("controller_runtime_reconcile_total", description: "Total number of reconciliations per controller and result.");

    internal static readonly Counter<long> ReconcileErrors =
        Meter.CreateCounter<long>("controller_runtime_reconcile_errors_total", description: "Total number of reconciliation errors per controller.");

    internal static readonly Histogram<double> ReconcileTime =
        Meter.CreateHistogram<double>("controller_runtime_reconcile_time_seconds", unit: "s", description: "Length of time per reconciliation per controller.");

    private static readonly ConcurrentDictionary<QueueRegistration, byte> Queues = new();

    private static readonly ObservableGauge<int> QueueDepth = Meter.CreateObservableGauge(
        "workqueue_depth",
        () => Queues.Keys.Select(q => new Measurement<int>(q.Depth(), new KeyValuePair<string, object?>("name", q.Name))),
        description: "Current depth of the work queue (keys ready to be reconciled).");

    /// <summary>Reports <paramref name="depth"/> as <c>workqueue_depth{name}</c> until the result is disposed.</summary>
    internal static IDisposable TrackQueue(string name, Func<int> depth)
    {
        _ = QueueDepth;
        var registration = new QueueRegistration(name, depth);
        Queues[registration] = 0;
        return registration;
    }

    internal static void Record(string controller, string result, TimeSpan elapsed)
    {
        var tags = new TagList { { "controller", controller }, { "result", result } };
        ReconcileTotal.Add(1, tags);
        ReconcileTime.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("controller", controller));
        if (result == "error")
        {
            ReconcileErrors.Add(1, new KeyValuePair<string, object?>("controller", controller));
        }
    }

    private sealed class QueueRegistration(string name, Func<int> depth) : IDisposable
    {
        public string Name => name;

        public int Depth() => depth();

        public void Dispose() => Queues.TryRemove(this, out _);
    }
}
