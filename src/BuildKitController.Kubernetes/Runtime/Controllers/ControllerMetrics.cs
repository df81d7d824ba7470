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
}
