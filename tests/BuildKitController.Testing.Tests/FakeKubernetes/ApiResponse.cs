using System.Net;
using System.Text.Json.Nodes;

namespace BuildKitController.Testing.Tests.FakeKubernetes;

/// <summary>A response of the fake server: status code, headers and parsed JSON body.</summary>
internal sealed record ApiResponse(HttpStatusCode Status, JsonNode? Body, HttpResponseMessage Message)
{
    public JsonObject Object => Body as JsonObject ?? throw new InvalidOperationException($"expected a JSON object, got {Body?.ToJsonString() ?? "nothing"}");

    public string? Text(string path) => Json.Read(Body, path);

    public override string ToString() => $"{(int)Status} {Body?.ToJsonString()}";
}
