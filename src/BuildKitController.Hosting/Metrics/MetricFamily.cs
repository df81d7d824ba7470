using System.Diagnostics.Metrics;
using System.Text;

namespace BuildKitController.Hosting.Metrics;

/// <summary>The aggregated series of one instrument.</summary>
internal abstract class MetricFamily(string name, string help)
{
    private readonly Lock _lock = new();

    public string Name { get; } = name;

    public string Help { get; } = help;

    public abstract string TypeName { get; }

    protected Lock SyncRoot => _lock;

    public static MetricFamily For(Instrument instrument)
    {
        var name = PrometheusExporter.SanitizeName(instrument.Name);
        var help = string.IsNullOrEmpty(instrument.Description) ? instrument.Name : instrument.Description;
        var type = instrument.GetType();
        if (type.IsGenericType)
        {
            var definition = type.GetGenericTypeDefinition();
            if (definition == typeof(Counter<>))
            {
                return new SumFamily(name, help, "counter", observable: false);
            }

            if (definition == typeof(UpDownCounter<>))
            {
                return new SumFamily(name, help, "gauge", observable: false);
            }

            if (definition == typeof(ObservableCounter<>))
            {
                return new SumFamily(name, help, "counter", observable: true);
            }

            if (definition == typeof(Histogram<>))
            {
                return new HistogramFamily(name, help, BucketsOf(instrument));
            }
        }

        // Gauge<T>, ObservableGauge<T>, ObservableUpDownCounter<T>: the last value wins.
        return new SumFamily(name, help, "gauge", observable: instrument.IsObservable, lastValue: !instrument.IsObservable);
    }

    public abstract void Record(double value, LabelSet labels);

    /// <summary>Observable instruments report afresh at each scrape; series they stop reporting disappear.</summary>
    public virtual void BeginObservation()
    {
    }

    public abstract void Write(StringBuilder builder);

    private static double[] BucketsOf(Instrument instrument) => instrument switch
    {
        Histogram<double> h when h.Advice?.HistogramBucketBoundaries is { Count: > 0 } b => [.. b],
        Histogram<long> h when h.Advice?.HistogramBucketBoundaries is { Count: > 0 } b => [.. b.Select(x => (double)x)],
        Histogram<int> h when h.Advice?.HistogramBucketBoundaries is { Count: > 0 } b => [.. b.Select(x => (double)x)],
        _ => PrometheusExporter.DefaultBuckets,
    };
}

/// <summary>Counters (sum), up-down counters (sum, as gauge) and gauges (last value).</summary>
internal sealed class SumFamily(string name, string help, string typeName, bool observable, bool lastValue = false) : MetricFamily(name, help)
{
    private readonly Dictionary<LabelSet, double> _values = [];

    public override string TypeName => typeName;

    public override void Record(double value, LabelSet labels)
    {
        lock (SyncRoot)
        {
            _values[labels] = observable || lastValue ? value : _values.GetValueOrDefault(labels) + value;
        }
    }

    public override void BeginObservation()
    {
        if (!observable)
        {
            return;
        }

        lock (SyncRoot)
        {
            _values.Clear();
        }
    }

    public override void Write(StringBuilder builder)
    {
        lock (SyncRoot)
        {
            foreach (var (labels, value) in _values.OrderBy(p => p.Key.Text, StringComparer.Ordinal))
            {
                builder.Append(Name).Append(labels.Text).Append(' ').Append(PrometheusExporter.FormatValue(value)).Append('\n');
            }
        }
    }
}

/// <summary>Cumulative bucket counts, sum and count per label set.</summary>
internal sealed class HistogramFamily(string name, string help, double[] bounds) : MetricFamily(name, help)
{
    private readonly Dictionary<LabelSet, Series> _series = [];

    public override string TypeName => "histogram";

    public override void Record(double value, LabelSet labels)
    {
        lock (SyncRoot)
        {
            if (!_series.TryGetValue(labels, out var series))
            {
                series = new Series(new long[bounds.Length]);
                _series[labels] = series;
            }

            var index = Array.BinarySearch(bounds, value);
            if (index < 0)
            {
                index = ~index;
            }

            if (index < bounds.Length)
            {
                series.Buckets[index]++;
            }

            series.Count++;
            series.Sum += value;
        }
    }

    public override void Write(StringBuilder builder)
    {
        lock (SyncRoot)
        {
            foreach (var (labels, series) in _series.OrderBy(p => p.Key.Text, StringComparer.Ordinal))
            {
                long cumulative = 0;
                for (var i = 0; i < bounds.Length; i++)
                {
                    cumulative += series.Buckets[i];
                    builder.Append(Name).Append("_bucket").Append(labels.With("le", PrometheusExporter.FormatValue(bounds[i])))
                        .Append(' ').Append(cumulative).Append('\n');
                }

                builder.Append(Name).Append("_bucket").Append(labels.With("le", "+Inf")).Append(' ').Append(series.Count).Append('\n');
                builder.Append(Name).Append("_sum").Append(labels.Text).Append(' ').Append(PrometheusExporter.FormatValue(series.Sum)).Append('\n');
                builder.Append(Name).Append("_count").Append(labels.Text).Append(' ').Append(series.Count).Append('\n');
            }
        }
    }

    private sealed class Series(long[] buckets)
    {
        public long[] Buckets { get; } = buckets;

        public long Count { get; set; }

        public double Sum { get; set; }
    }
}
