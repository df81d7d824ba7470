using System.Diagnostics.Metrics;

namespace BuildKitController.Gateway.Diagnostics;

/// <summary>
/// The gateway's metrics (meter <see cref="MeterName"/>). Upstream-compatible names and labels (§8):
/// <c>buildkit_gateway_connections_total{pool,status}</c> (status <c>success</c> or the upstream failure names, see
/// <see cref="RejectReasons.UpstreamStatus"/>), <c>buildkit_gateway_active_connections{pool}</c> (proxied
/// connections; handshakes are in <c>buildkit_gateway_handshaking_connections</c>),
/// <c>buildkit_gateway_connection_duration_seconds{pool}</c> (1 s … 2^15 s). Additions:
/// <c>buildkit_gateway_rejections_total{pool,reason}</c>, <c>buildkit_gateway_bytes_total{pool,direction}</c>,
/// <c>buildkit_gateway_route_lookup_duration_seconds{pool}</c>, <c>buildkit_gateway_handshake_duration_seconds{pool}</c>,
/// <c>buildkit_gateway_connections_closed_total{pool,cause}</c>, <c>buildkit_gateway_certificate_reloads_total{pool,bundle,result}</c>,
/// <c>buildkit_gateway_status_writes_total{pool,result}</c>.
/// </summary>
internal sealed class GatewayMetrics : IDisposable
{
    public const string MeterName = "BuildKitController.Gateway";

    private static readonly double[] DurationBuckets = [.. Enumerable.Range(0, 16).Select(i => Math.Pow(2, i))];
    private static readonly double[] LookupBuckets = [0.000_01, 0.000_025, 0.000_05, 0.000_1, 0.000_25, 0.000_5, 0.001, 0.005, 0.01];
    private static readonly double[] HandshakeBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly Meter _meter;
    private readonly KeyValuePair<string, object?> _pool;
    private readonly Counter<long> _connections;
    private readonly Counter<long> _rejections;
    private readonly UpDownCounter<long> _active;
    private readonly UpDownCounter<long> _handshaking;
    private readonly Histogram<double> _duration;
    private readonly Histogram<double> _lookup;
    private readonly Histogram<double> _handshake;
    private readonly Counter<long> _bytes;
    private readonly Counter<long> _closed;
    private readonly Counter<long> _reloads;
    private readonly Counter<long> _statusWrites;

    public GatewayMetrics(string pool, string meterName = MeterName)
    {
        _meter = new Meter(meterName);
        _pool = new("pool", pool);
        _connections = _meter.CreateCounter<long>("buildkit_gateway_connections_total", description: "Client connections by outcome (upstream-compatible status values).");
        _rejections = _meter.CreateCounter<long>("buildkit_gateway_rejections_total", description: "Client connections not proxied, by reason.");
        _active = _meter.CreateUpDownCounter<long>("buildkit_gateway_active_connections", description: "Connections currently proxied to workers.");
        _handshaking = _meter.CreateUpDownCounter<long>("buildkit_gateway_handshaking_connections", description: "Client connections accepted and not yet proxied or refused.");
        _duration = _meter.CreateHistogram("buildkit_gateway_connection_duration_seconds", unit: "s", description: "Lifetime of proxied connections.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _lookup = _meter.CreateHistogram("buildkit_gateway_route_lookup_duration_seconds", unit: "s", description: "Time to resolve an allocation token to a worker (local cache).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LookupBuckets });
        _handshake = _meter.CreateHistogram("buildkit_gateway_handshake_duration_seconds", unit: "s", description: "Client TLS handshake time (successful handshakes).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = HandshakeBuckets });
        _bytes = _meter.CreateCounter<long>("buildkit_gateway_bytes_total", unit: "By", description: "Bytes proxied, by direction (client_to_worker, worker_to_client).");
        _closed = _meter.CreateCounter<long>("buildkit_gateway_connections_closed_total", description: "Proxied connections that ended, by cause.");
        _reloads = _meter.CreateCounter<long>("buildkit_gateway_certificate_reloads_total", description: "Certificate bundle (re)loads, by bundle and result.");
        _statusWrites = _meter.CreateCounter<long>("buildkit_gateway_status_writes_total", description: "Worker status writes (activity), by result.");
        _meter.CreateObservableGauge("process_resident_memory_bytes", () => Environment.WorkingSet, unit: "By", description: "Resident set size of the gateway process.");
        _meter.CreateObservableGauge("dotnet_gc_heap_bytes", () => GC.GetTotalMemory(forceFullCollection: false), unit: "By", description: "Managed heap in use (live and not yet collected).");
        _meter.CreateObservableGauge("dotnet_gc_last_heap_bytes", () => GC.GetGCMemoryInfo().HeapSizeBytes, unit: "By", description: "Managed heap size after the last collection.");
    }

    public void Rejected(RejectReason reason)
    {
        _rejections.Add(1, _pool, new("reason", RejectReasons.Label(reason)));
        if (RejectReasons.UpstreamStatus(reason) is { } status)
        {
            _connections.Add(1, _pool, new("status", status));
        }
    }

    public void HandshakeStarted() => _handshaking.Add(1, _pool);

    public void HandshakeEnded() => _handshaking.Add(-1, _pool);

    public void Handshake(TimeSpan elapsed) => _handshake.Record(elapsed.TotalSeconds, _pool);

    public void Lookup(TimeSpan elapsed) => _lookup.Record(elapsed.TotalSeconds, _pool);

    public void ProxyStarted()
    {
        _connections.Add(1, _pool, new("status", "success"));
        _active.Add(1, _pool);
    }

    public void ProxyEnded(TimeSpan duration, string cause)
    {
        _active.Add(-1, _pool);
        _duration.Record(duration.TotalSeconds, _pool);
        _closed.Add(1, _pool, new("cause", cause));
    }

    public void Bytes(bool clientToWorker, long count)
    {
        if (count > 0)
        {
            _bytes.Add(count, _pool, new("direction", clientToWorker ? "client_to_worker" : "worker_to_client"));
        }
    }

    public void Reload(string bundle, bool success) =>
        _reloads.Add(1, _pool, new("bundle", bundle), new("result", success ? "success" : "failure"));

    public void StatusWrite(string result) => _statusWrites.Add(1, _pool, new("result", result));

    public void Dispose() => _meter.Dispose();
}
