namespace BuildKitController.Testing.FakeKubernetes.Patching;

/// <summary>
/// Merge behaviour of one list field: for server-side apply (<see cref="Type"/>, <see cref="Keys"/>) and for
/// strategic merge patch (<see cref="PatchMerge"/>, <see cref="PatchMergeKey"/>).
/// </summary>
internal sealed record ListSemantics(ListType Type, IReadOnlyList<string> Keys, bool PatchMerge, string? PatchMergeKey)
{
    public static ListSemantics Atomic { get; } = new(ListType.Atomic, [], false, null);

    public static ListSemantics PrimitiveSet { get; } = new(ListType.Set, [], true, null);

    public static ListSemantics MapBy(string key) => new(ListType.Map, [key], true, key);

    public static ListSemantics MapBy(string patchKey, params string[] applyKeys) => new(ListType.Map, applyKeys, true, patchKey);

    /// <summary>Value an associative-list key takes when an item omits it (the schema default).</summary>
    public static string? DefaultKeyValue(string key) => key == "protocol" ? "TCP" : null;
}
