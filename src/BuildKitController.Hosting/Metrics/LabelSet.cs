using System.Globalization;
using System.Text;

namespace BuildKitController.Hosting.Metrics;

/// <summary>A canonical (sorted, escaped) rendering of a measurement's tags: <c>{a="x",b="y"}</c> or empty.</summary>
internal readonly record struct LabelSet(string Text)
{
    public static LabelSet Empty { get; } = new("");

    public static LabelSet From(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.IsEmpty)
        {
            return Empty;
        }

        var pairs = new KeyValuePair<string, string>[tags.Length];
        for (var i = 0; i < tags.Length; i++)
        {
            pairs[i] = new(PrometheusExporter.SanitizeName(tags[i].Key), Convert.ToString(tags[i].Value, CultureInfo.InvariantCulture) ?? "");
        }

        Array.Sort(pairs, (a, b) => string.CompareOrdinal(a.Key, b.Key));
        var builder = new StringBuilder("{");
        for (var i = 0; i < pairs.Length; i++)
        {
            if (i > 0)
            {
                builder.Append(',');
            }

            builder.Append(pairs[i].Key).Append("=\"");
            Escape(builder, pairs[i].Value);
            builder.Append('"');
        }

        return new LabelSet(builder.Append('}').ToString());
    }

    /// <summary>This label set with one more label appended (used for histogram <c>le</c>).</summary>
    public string With(string name, string value) =>
        Text.Length == 0 ? $"{{{name}=\"{value}\"}}" : $"{Text[..^1]},{name}=\"{value}\"}}";

    private static void Escape(StringBuilder builder, string value)
    {
        foreach (var c in value)
        {
            _ = c switch
            {
                '\\' => builder.Append("\\\\"),
                '"' => builder.Append("\\\""),
                '\n' => builder.Append("\\n"),
                _ => builder.Append(c),
            };
        }
    }
}
