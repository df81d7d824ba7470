using System.Text.Json.Nodes;

namespace BuildKitController.Testing.Tests.FakeKubernetes;

/// <summary>Fluent tweaks of test objects.</summary>
internal static class ObjectExtensions
{
    public static JsonObject Also(this JsonObject obj, Action<JsonObject> change)
    {
        change(obj);
        return obj;
    }
}
