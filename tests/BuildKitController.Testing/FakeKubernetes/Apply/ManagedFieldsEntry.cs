namespace BuildKitController.Testing.FakeKubernetes.Apply;

/// <summary>One metav1.ManagedFieldsEntry.</summary>
internal sealed record ManagedFieldsEntry(string Manager, string Operation, string ApiVersion, string? Time, string? Subresource, FieldSet Fields)
{
    public const string Apply = "Apply";
    public const string Update = "Update";

    /// <summary>What makes two entries the same manager (apply entries ignore the apiVersion).</summary>
    public (string Manager, string Operation, string Subresource, string ApiVersion) Identity =>
        (Manager, Operation, Subresource ?? "", Operation == Apply ? "" : ApiVersion);

    /// <summary>How conflict messages name the manager: <c>"mgr"</c> or <c>"mgr" using apps/v1</c>.</summary>
    public string DisplayName => Operation == Apply ? $"\"{Manager}\"" : $"\"{Manager}\" using {ApiVersion}";
}
