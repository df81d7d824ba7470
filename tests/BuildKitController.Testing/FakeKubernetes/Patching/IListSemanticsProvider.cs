namespace BuildKitController.Testing.FakeKubernetes.Patching;

/// <summary>Resolves how the list at a field path merges; the path holds field names only (list items are skipped).</summary>
internal interface IListSemanticsProvider
{
    ListSemantics Resolve(IReadOnlyList<string> fieldPath);
}
