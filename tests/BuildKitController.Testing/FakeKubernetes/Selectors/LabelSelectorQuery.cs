namespace BuildKitController.Testing.FakeKubernetes.Selectors;

/// <summary>A parsed label selector: all requirements must match (an empty selector matches everything).</summary>
internal sealed record LabelSelectorQuery(IReadOnlyList<LabelRequirement> Requirements)
{
    public static LabelSelectorQuery Everything { get; } = new([]);

    public bool IsEmpty => Requirements.Count == 0;

    public bool Matches(IReadOnlyDictionary<string, string> labels) => Requirements.All(r => r.Matches(labels));

    /// <summary>Parses the <c>labelSelector</c> query syntax; throws <see cref="FormatException"/> with the real server's wording.</summary>
    public static LabelSelectorQuery Parse(string? text) =>
        string.IsNullOrWhiteSpace(text) ? Everything : new LabelSelectorParser(text).Parse();
}
