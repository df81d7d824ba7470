using System.Diagnostics;
using System.Globalization;

namespace BuildKitController.AllocationBench;

/// <summary>Latencies and failures of one measured run, and its percentiles.</summary>
internal sealed class LatencyRun(int count)
{
    private readonly double[] _latencies = new double[count];
    private int _failures;

    public int Count => _latencies.Length;

    public int Failures => Volatile.Read(ref _failures);

    public TimeSpan Wall { get; private set; }

    public double Throughput => Count / Wall.TotalSeconds;

    /// <summary>
    /// Closed loop: <paramref name="clients"/> callers, each sending its next allocation when the previous one returns.
    /// Measures the throughput the system sustains; latency includes the queueing of a saturated machine.
    /// </summary>
    public static async Task<LatencyRun> ClosedLoopAsync(int count, int clients, Func<int, CancellationToken, Task<bool>> allocate, CancellationToken cancellationToken)
    {
        var run = new LatencyRun(count);
        var next = -1;
        var wall = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async c =>
        {
            while (Interlocked.Increment(ref next) is var i && i < count)
            {
                var started = Stopwatch.GetTimestamp();
                run.Record(i, started, await allocate(c, cancellationToken));
            }
        }));
        run.Wall = wall.Elapsed;
        return run;
    }

    /// <summary>
    /// Open loop: allocations start on a fixed schedule of <paramref name="rate"/> a second, whether or not earlier ones
    /// have returned, as independent CI jobs arrive. Each latency runs from the scheduled start, so a stall is charged
    /// to every call it delays (no coordinated omission). Callers take turns among <paramref name="callers"/> identities.
    /// </summary>
    public static async Task<LatencyRun> OpenLoopAsync(int count, double rate, int callers, Func<int, CancellationToken, Task<bool>> allocate, CancellationToken cancellationToken)
    {
        var run = new LatencyRun(count);
        var calls = new Task[count];
        var interval = Stopwatch.Frequency / rate;
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < count; i++)
        {
            var scheduled = start + (long)(i * interval);
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), scheduled);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, cancellationToken);
            }

            var index = i;
            calls[i] = Task.Run(async () => run.Record(index, scheduled, await allocate(index % callers, cancellationToken)), cancellationToken);
        }

        await Task.WhenAll(calls);
        run.Wall = Stopwatch.GetElapsedTime(start);
        return run;
    }

    public double Percentile(double q)
    {
        var sorted = _latencies.Order().ToArray();
        return sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
    }

    public double Max => _latencies.Max();

    public string Summary() => string.Create(CultureInfo.InvariantCulture,
        $"p50 {Percentile(0.50):F1} ms, p90 {Percentile(0.90):F1} ms, p99 {Percentile(0.99):F1} ms, max {Max:F1} ms; {Throughput:F0}/s; {Failures} failed");

    private void Record(int index, long started, bool succeeded)
    {
        _latencies[index] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (!succeeded)
        {
            Interlocked.Increment(ref _failures);
        }
    }
}
