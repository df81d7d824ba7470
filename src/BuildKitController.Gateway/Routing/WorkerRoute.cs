using System.Net;

namespace BuildKitController.Gateway.Routing;

/// <summary>Where an allocation's connections go: its worker and the worker's buildkitd address.</summary>
internal sealed record WorkerRoute(string Namespace, string WorkerName, IPEndPoint EndPoint)
{
    public string Key => $"{Namespace}/{WorkerName}";
}
