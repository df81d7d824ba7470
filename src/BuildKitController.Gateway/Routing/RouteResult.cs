using BuildKitController.Gateway.Diagnostics;

namespace BuildKitController.Gateway.Routing;

/// <summary>A route, or why there is none.</summary>
internal readonly record struct RouteResult(WorkerRoute? Route, RejectReason Rejection)
{
    public static RouteResult To(WorkerRoute route) => new(route, default);

    public static RouteResult Refused(RejectReason reason) => new(null, reason);
}
