using System.Globalization;
using BuildKitController.Bench;

namespace BuildKitController.AllocationBench;

/// <summary>
/// The controller's .NET runtime counters from its <c>/metrics</c> (the <c>System.Runtime</c> meter): methods JIT-compiled,
/// garbage collections by generation, and time paused for them. The difference of two scrapes describes a run.
/// </summary>
internal sealed record RuntimeCounters(double JitCompiledMethods, double Gen0, double Gen1, double Gen2, double GcPauseSeconds)
{
    public static RuntimeCounters From(PrometheusText metrics) => new(
        metrics.Sum("dotnet_jit_compiled_methods"),
        metrics.Sum("dotnet_gc_collections", ("gc_heap_generation", "gen0")),
        metrics.Sum("dotnet_gc_collections", ("gc_heap_generation", "gen1")),
        metrics.Sum("dotnet_gc_collections", ("gc_heap_generation", "gen2")),
        metrics.Sum("dotnet_gc_pause_time"));

    /// <summary>The same counters of this process (the fake API server and the callers).</summary>
    public static RuntimeCounters OfThisProcess() => new(
        System.Runtime.JitInfo.GetCompiledMethodCount(),
        GC.CollectionCount(0) - GC.CollectionCount(1),
        GC.CollectionCount(1) - GC.CollectionCount(2),
        GC.CollectionCount(2),
        GC.GetTotalPauseDuration().TotalSeconds);

    public static async Task<RuntimeCounters> ScrapeAsync(ControllerProcess controller, CancellationToken cancellationToken) =>
        From(await controller.ScrapeAsync(cancellationToken) ?? throw new InvalidOperationException("the controller's /metrics did not answer"));

    public static RuntimeCounters operator -(RuntimeCounters after, RuntimeCounters before) => new(
        after.JitCompiledMethods - before.JitCompiledMethods,
        after.Gen0 - before.Gen0,
        after.Gen1 - before.Gen1,
        after.Gen2 - before.Gen2,
        after.GcPauseSeconds - before.GcPauseSeconds);

    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{JitCompiledMethods:F0} methods JIT-compiled; GCs gen0 {Gen0:F0}, gen1 {Gen1:F0}, gen2 {Gen2:F0}, paused {GcPauseSeconds * 1000:F0} ms");
}
