using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace BuildKitController.Hosting.Metrics;

/// <summary>
/// Exposes <see cref="System.Diagnostics.Metrics"/> instruments of chosen meters in the Prometheus text format
/// (version 0.0.4). Counters become counters, up-down counters and gauges become gauges, histograms become
/// cumulative-bucket histograms (boundaries from the instrument's advice, else Prometheus' defaults).
/// Observable instruments are read at scrape time.
/// </summary>
public sealed class PrometheusExporter : IDisposable
{
    /// <summary>Content type of the text exposition format.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    internal static readonly double[] DefaultBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly HashSet<string> _meterNames;
    private readonly MeterListener _listener = new();
    private readonly Lock _scrapeLock = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Instrument, MetricFamily> _families = new();

    public PrometheusExporter(IEnumerable<string> meterNames)
    {
        _meterNames = new HashSet<string>(meterNames, StringComparer.Ordinal);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (_meterNames.Contains(instrument.Meter.Name))
            {
                _families[instrument] = MetricFamily.For(instrument);
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.MeasurementsCompleted = (instrument, _) => _families.TryRemove(instrument, out MetricFamily? _);
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<float>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<short>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<byte>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<decimal>((i, v, tags, _) => Record(i, (double)v, tags));
        _listener.Start();
    }

    /// <summary>Renders every metric in the text format.</summary>
    public string Scrape()
    {
        lock (_scrapeLock)
        {
            foreach (var family in _families.Values)
            {
                family.BeginObservation();
            }

            _listener.RecordObservableInstruments();
            var builder = new StringBuilder();
            foreach (var group in _families.Values.GroupBy(f => f.Name, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                // Several instruments may share a name (e.g. one per meter instance); merge their series.
                var first = group.First();
                builder.Append("# HELP ").Append(first.Name).Append(' ').Append(EscapeHelp(first.Help)).Append('\n');
                builder.Append("# TYPE ").Append(first.Name).Append(' ').Append(first.TypeName).Append('\n');
                foreach (var family in group)
                {
                    family.Write(builder);
                }
            }

            return builder.ToString();
        }
    }

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (_families.TryGetValue(instrument, out var family))
        {
            family.Record(value, LabelSet.From(tags));
        }
    }

    internal static string SanitizeName(string name)
    {
        var builder = new StringBuilder(name.Length);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            var ok = char.IsAsciiLetter(c) || c is '_' or ':' || (i > 0 && char.IsAsciiDigit(c));
            builder.Append(ok ? c : '_');
        }

        return builder.ToString();
    }

    internal static string FormatValue(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        double.NaN => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    private static string EscapeHelp(string text) => text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
