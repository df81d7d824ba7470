namespace BuildKitController.Kubernetes.Client;

/// <summary>Server-side apply: who owns the applied fields, and whether to take them from other managers.</summary>
/// <param name="FieldManager">The field manager name; one per controller keeps ownership stable.</param>
/// <param name="Force">Take ownership of fields another manager set (controllers own their objects, so usually true).</param>
public sealed record ApplyOptions(string FieldManager, bool Force = true);
