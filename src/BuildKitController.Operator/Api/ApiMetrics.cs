using System.Diagnostics.Metrics;

namespace BuildKitController.Operator.Api;

/// <summary>Allocation API metrics (meter <c>BuildKitController.Operator.Api</c>); routes are templates, so cardinality is bounded.</summary>
internal static class ApiMetrics
{
    public const string MeterName = "BuildKitController.Operator.Api";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> Requests = Meter.CreateCounter<long>(
        "buildkit_controller_api_requests_total", description: "API requests by route, method and status code.");

    private static readonly Histogram<double> Duration = Meter.CreateHistogram<double>(
        "buildkit_controller_api_request_duration_seconds", unit: "s", description: "API request duration by route and method.");

    public static void Record(string route, string method, int status, TimeSpan elapsed)
    {
        Requests.Add(1, new("endpoint", route), new("method", method), new("status", status));
        Duration.Record(elapsed.TotalSeconds, new("endpoint", route), new("method", method));
    }
}
