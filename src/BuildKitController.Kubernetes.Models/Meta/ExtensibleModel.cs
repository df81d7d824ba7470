using System.Text.Json;
using System.Text.Json.Serialization;

namespace BuildKitController.Kubernetes.Models;

/// <summary>
/// Base of every Kubernetes model: fields this version does not know are kept here, so a
/// read-modify-write round trip never drops what a newer server (or another client) wrote.
/// </summary>
public abstract record ExtensibleModel
{
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
