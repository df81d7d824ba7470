using System.Diagnostics.Metrics;
using BuildKitController.Hosting.Metrics;

namespace BuildKitController.Hosting.Tests.Metrics;

public sealed class PrometheusExporterTests : IDisposable
{
    private readonly string _meterName = "test." + Guid.NewGuid().ToString("N");
    private readonly Meter _meter;
    private readonly PrometheusExporter _exporter;

    public PrometheusExporterTests()
    {
        _meter = new Meter(_meterName);
        _exporter = new PrometheusExporter([_meterName]);
    }

    public void Dispose()
    {
        _exporter.Dispose();
        _meter.Dispose();
    }

    [Fact]
    public void Counters_sum_per_label_set_with_sorted_escaped_labels()
    {
        var counter = _meter.CreateCounter<long>("buildkit_gateway_connections_total", description: "Connections by result.");
        counter.Add(1, new("status", "success"), new("pool", "a"));
        counter.Add(2, new("pool", "a"), new("status", "success"));
        counter.Add(1, new("pool", "we\"ird\\\n"), new("status", "rejected"));

        var text = _exporter.Scrape();

        Assert.Contains("# HELP buildkit_gateway_connections_total Connections by result.\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE buildkit_gateway_connections_total counter\n", text, StringComparison.Ordinal);
        Assert.Contains("buildkit_gateway_connections_total{pool=\"a\",status=\"success\"} 3\n", text, StringComparison.Ordinal);
        Assert.Contains("buildkit_gateway_connections_total{pool=\"we\\\"ird\\\\\\n\",status=\"rejected\"} 1\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Up_down_counters_are_gauges()
    {
        var active = _meter.CreateUpDownCounter<long>("buildkit_gateway_active_connections");
        active.Add(3, new KeyValuePair<string, object?>("pool", "p"));
        active.Add(-1, new KeyValuePair<string, object?>("pool", "p"));

        var text = _exporter.Scrape();

        Assert.Contains("# TYPE buildkit_gateway_active_connections gauge\n", text, StringComparison.Ordinal);
        Assert.Contains("buildkit_gateway_active_connections{pool=\"p\"} 2\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Observable_gauges_are_read_at_scrape_and_vanished_series_disappear()
    {
        var values = new List<Measurement<long>> { new(4, new KeyValuePair<string, object?>("phase", "Idle")) };
        _meter.CreateObservableGauge("buildkit_workers_total", () => values);

        Assert.Contains("buildkit_workers_total{phase=\"Idle\"} 4\n", _exporter.Scrape(), StringComparison.Ordinal);

        values = [new(1, new KeyValuePair<string, object?>("phase", "Allocated"))];
        var text = _exporter.Scrape();

        Assert.Contains("buildkit_workers_total{phase=\"Allocated\"} 1\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Idle", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Histograms_have_cumulative_buckets_sum_and_count()
    {
        var histogram = _meter.CreateHistogram<double>(
            "lookup_seconds",
            unit: "s",
            description: null,
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 1, 10] });
        histogram.Record(0.05);
        histogram.Record(0.1);
        histogram.Record(5);
        histogram.Record(50);

        var text = _exporter.Scrape();

        Assert.Contains("# TYPE lookup_seconds histogram\n", text, StringComparison.Ordinal);
        Assert.Contains("lookup_seconds_bucket{le=\"0.1\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("lookup_seconds_bucket{le=\"1\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("lookup_seconds_bucket{le=\"10\"} 3\n", text, StringComparison.Ordinal);
        Assert.Contains("lookup_seconds_bucket{le=\"+Inf\"} 4\n", text, StringComparison.Ordinal);
        Assert.Contains("lookup_seconds_sum 55.15\n", text, StringComparison.Ordinal);
        Assert.Contains("lookup_seconds_count 4\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Histograms_without_advice_use_the_Prometheus_default_buckets()
    {
        _meter.CreateHistogram<double>("latency").Record(0.3, new KeyValuePair<string, object?>("route", "/x"));

        var text = _exporter.Scrape();

        Assert.Contains("latency_bucket{route=\"/x\",le=\"0.25\"} 0\n", text, StringComparison.Ordinal);
        Assert.Contains("latency_bucket{route=\"/x\",le=\"0.5\"} 1\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Meters_not_asked_for_are_not_exported_and_names_are_sanitized()
    {
        using var other = new Meter("other." + Guid.NewGuid().ToString("N"));
        other.CreateCounter<long>("secret_counter").Add(1);
        _meter.CreateCounter<int>("http.server-requests").Add(1);

        var text = _exporter.Scrape();

        Assert.DoesNotContain("secret_counter", text, StringComparison.Ordinal);
        Assert.Contains("http_server_requests 1\n", text, StringComparison.Ordinal);
    }
}
