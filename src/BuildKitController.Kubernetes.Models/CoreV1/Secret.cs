using System.Text;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace BuildKitController.Kubernetes.Models.CoreV1;

/// <summary>core/v1 Secret. <c>data</c> values are bytes (base64 on the wire). <see cref="ToString"/> never prints values.</summary>
public sealed record Secret() : KubernetesObject("v1", "Secret"), IKubernetesResource<Secret>
{
    public static ResourceType Resource { get; } = new("", "v1", "secrets", "Secret");

    public static JsonTypeInfo<Secret> JsonTypeInfo => KubernetesModelsJsonContext.Default.Secret;

    public static JsonTypeInfo<KubernetesList<Secret>> ListJsonTypeInfo => KubernetesModelsJsonContext.Default.KubernetesListSecret;

    [JsonPropertyName("type")]
    public string? Type { get; set; }

    [JsonPropertyName("data")]
    public Dictionary<string, byte[]>? Data { get; set; }

    [JsonPropertyName("stringData")]
    public Dictionary<string, string>? StringData { get; set; }

    [JsonPropertyName("immutable")]
    public bool? Immutable { get; set; }

    protected override bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Namespace = ").Append(Metadata.Namespace)
            .Append(", Name = ").Append(Metadata.Name)
            .Append(", Type = ").Append(Type)
            .Append(", Keys = [").AppendJoin(", ", Data?.Keys ?? (IEnumerable<string>)[]).Append(']');
        return true;
    }
}
