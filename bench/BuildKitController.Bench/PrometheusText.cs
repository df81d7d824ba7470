using System.Globalization;

namespace BuildKitController.Bench;

/// <summary>One sample of a Prometheus text exposition: metric name, labels and value.</summary>
internal sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

/// <summary>A parsed <c>/metrics</c> scrape (text format 0.0.4), enough for sums over label filters.</summary>
internal sealed class PrometheusText
{
    private readonly List<PrometheusSample> _samples;

    private PrometheusText(List<PrometheusSample> samples) => _samples = samples;

    public IReadOnlyList<PrometheusSample> Samples => _samples;

    public static PrometheusText Parse(string text)
    {
        var samples = new List<PrometheusSample>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            int end;
            var brace = line.IndexOf('{', StringComparison.Ordinal);
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            string name;
            if (brace >= 0 && (space < 0 || brace < space))
            {
                name = line[..brace];
                end = ParseLabels(line, brace + 1, labels);
            }
            else
            {
                name = space < 0 ? line : line[..space];
                end = name.Length;
            }

            var rest = line[end..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (rest.Length > 0 && TryParseValue(rest[0], out var value))
            {
                samples.Add(new PrometheusSample(name, labels, value));
            }
        }

        return new PrometheusText(samples);
    }

    /// <summary>Sum of the samples named <paramref name="name"/> whose labels include every pair of <paramref name="filter"/>.</summary>
    public double Sum(string name, params (string Label, string Value)[] filter) =>
        _samples.Where(s => s.Name == name && filter.All(f => s.Labels.TryGetValue(f.Label, out var v) && v == f.Value)).Sum(s => s.Value);

    /// <summary>Sums of the samples named <paramref name="name"/> grouped by the value of <paramref name="label"/>.</summary>
    public IReadOnlyList<KeyValuePair<string, double>> SumBy(string name, string label) =>
        [.. Series(name).GroupBy(s => s.Labels.GetValueOrDefault(label) ?? "", StringComparer.Ordinal)
            .Select(g => KeyValuePair.Create(g.Key, g.Sum(s => s.Value))).OrderBy(p => p.Key, StringComparer.Ordinal)];

    /// <summary>Samples named <paramref name="name"/>.</summary>
    public IEnumerable<PrometheusSample> Series(string name) => _samples.Where(s => s.Name == name);

    private static int ParseLabels(string line, int i, Dictionary<string, string> labels)
    {
        while (i < line.Length && line[i] != '}')
        {
            var eq = line.IndexOf('=', i);
            if (eq < 0 || eq + 1 >= line.Length || line[eq + 1] != '"')
            {
                break;
            }

            var key = line[i..eq].Trim().TrimStart(',').Trim();
            var value = new System.Text.StringBuilder();
            var j = eq + 2;
            for (; j < line.Length && line[j] != '"'; j++)
            {
                if (line[j] == '\\' && j + 1 < line.Length)
                {
                    j++;
                    value.Append(line[j] == 'n' ? '\n' : line[j]);
                }
                else
                {
                    value.Append(line[j]);
                }
            }

            labels[key] = value.ToString();
            i = j + 1;
            while (i < line.Length && (line[i] == ',' || line[i] == ' '))
            {
                i++;
            }
        }

        return Math.Min(line.Length, i + 1);
    }

    private static bool TryParseValue(string text, out double value)
    {
        switch (text)
        {
            case "+Inf":
                value = double.PositiveInfinity;
                return true;
            case "-Inf":
                value = double.NegativeInfinity;
                return true;
            case "NaN":
                value = double.NaN;
                return true;
            default:
                return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
        }
    }
}
