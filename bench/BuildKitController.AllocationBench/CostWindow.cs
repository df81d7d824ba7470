using System.Diagnostics;
using System.Globalization;
using BuildKitController.Bench;
using BuildKitController.Testing.FakeKubernetes;

namespace BuildKitController.AllocationBench;

/// <summary>
/// What one measured run cost: CPU of the controller process and of this process (the fake API server and the
/// callers), the controller's JIT and GC activity, and the API server requests, all per allocation.
/// </summary>
internal sealed class CostWindow
{
    private readonly ControllerProcess _controller;
    private readonly FakeApiServer _server;
    private readonly TimeSpan _controllerCpu;
    private readonly TimeSpan _ownCpu;
    private readonly RuntimeCounters _runtime;
    private readonly RuntimeCounters _ownRuntime = RuntimeCounters.OfThisProcess();
    private readonly HostSteal _steal = HostSteal.Read();

    private CostWindow(ControllerProcess controller, FakeApiServer server, RuntimeCounters runtime)
    {
        _controller = controller;
        _server = server;
        _runtime = runtime;
        _controllerCpu = controller.Stats().CpuTime;
        _ownCpu = Process.GetCurrentProcess().TotalProcessorTime;
    }

    public static async Task<CostWindow> OpenAsync(ControllerProcess controller, FakeApiServer server, CancellationToken cancellationToken)
    {
        server.RequestLog.Clear();
        return new CostWindow(controller, server, await RuntimeCounters.ScrapeAsync(controller, cancellationToken));
    }

    public async Task<Costs> CloseAsync(int allocations, CancellationToken cancellationToken)
    {
        var controllerCpu = (_controller.Stats().CpuTime - _controllerCpu).TotalMilliseconds / allocations;
        var ownCpu = (Process.GetCurrentProcess().TotalProcessorTime - _ownCpu).TotalMilliseconds / allocations;
        var runtime = await RuntimeCounters.ScrapeAsync(_controller, cancellationToken) - _runtime;
        var ownRuntime = RuntimeCounters.OfThisProcess() - _ownRuntime;
        var steal = HostSteal.Read().PercentSince(_steal);

        // What the run asked of the API server, per allocation: method and resource (the path's last collection segment).
        var requests = _server.RequestLog.Entries
            .Where(e => e.Method != "GET" || !e.PathAndQuery.Contains("watch=", StringComparison.Ordinal))
            .GroupBy(e => $"{e.Method} {Resource(e.Path)} {e.StatusCode}")
            .OrderByDescending(g => g.Count())
            .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Key} {g.Count() / (double)allocations:F2}"));
        return new Costs(controllerCpu, ownCpu, runtime, ownRuntime, steal, string.Join(", ", requests));
    }

    private static string Resource(string path)
    {
        // /apis/group/version/namespaces/ns/plural/name[/status] → plural[/status]
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var index = Array.IndexOf(parts, "namespaces");
        var rest = index >= 0 && parts.Length > index + 2 ? parts[(index + 2)..] : parts[^1..];
        return rest.Length >= 3 ? $"{rest[0]}/{rest[2]}" : rest[0];
    }
}

/// <summary>Per-allocation costs of a run.</summary>
internal sealed record Costs(double ControllerCpuMilliseconds, double OwnCpuMilliseconds, RuntimeCounters Runtime, RuntimeCounters OwnRuntime, double StealPercent, string Requests);
