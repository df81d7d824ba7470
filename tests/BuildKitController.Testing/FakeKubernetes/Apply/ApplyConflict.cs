namespace BuildKitController.Testing.FakeKubernetes.Apply;

/// <summary>A field the applier would change that another manager owns.</summary>
internal sealed record ApplyConflict(string ManagerDisplayName, string Path);
