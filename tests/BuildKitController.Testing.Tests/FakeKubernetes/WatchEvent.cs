using System.Text.Json.Nodes;

namespace BuildKitController.Testing.Tests.FakeKubernetes;

/// <summary>A decoded watch event.</summary>
internal sealed record WatchEvent(string Type, JsonObject Object)
{
    public string? Name => Json.Read(Object, "metadata.name");

    public string? ResourceVersion => Json.Read(Object, "metadata.resourceVersion");

    public override string ToString() => $"{Type} {Name} rv={ResourceVersion}";
}
