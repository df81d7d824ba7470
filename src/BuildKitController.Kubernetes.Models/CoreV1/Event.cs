using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using BuildKitController.Kubernetes.Models.Serialization;

namespace BuildKitController.Kubernetes.Models.CoreV1;

/// <summary>core/v1 Event.</summary>
public sealed record Event() : KubernetesObject("v1", "Event"), IKubernetesResource<Event>
{
    public static ResourceType Resource { get; } = new("", "v1", "events", "Event");

    public static JsonTypeInfo<Event> JsonTypeInfo => KubernetesModelsJsonContext.Default.Event;

    public static JsonTypeInfo<KubernetesList<Event>> ListJsonTypeInfo => KubernetesModelsJsonContext.Default.KubernetesListEvent;

    [JsonPropertyName("involvedObject")]
    public ObjectReference InvolvedObject { get; set; } = new();

    [JsonPropertyName("reason")]
    public string? Reason { get; set; }

    [JsonPropertyName("message")]
    public string? Message { get; set; }

    /// <summary><c>Normal</c> or <c>Warning</c>.</summary>
    [JsonPropertyName("type")]
    public string? Type { get; set; }

    [JsonPropertyName("source")]
    public EventSource? Source { get; set; }

    [JsonPropertyName("count")]
    public int? Count { get; set; }

    [JsonPropertyName("firstTimestamp")]
    [JsonConverter(typeof(Rfc3339TimeConverter))]
    public DateTimeOffset? FirstTimestamp { get; set; }

    [JsonPropertyName("lastTimestamp")]
    [JsonConverter(typeof(Rfc3339TimeConverter))]
    public DateTimeOffset? LastTimestamp { get; set; }

    [JsonPropertyName("eventTime")]
    [JsonConverter(typeof(MicroTimeConverter))]
    public DateTimeOffset? EventTime { get; set; }

    [JsonPropertyName("reportingComponent")]
    public string? ReportingComponent { get; set; }

    [JsonPropertyName("reportingInstance")]
    public string? ReportingInstance { get; set; }

    [JsonPropertyName("action")]
    public string? Action { get; set; }
}

/// <summary>core/v1 EventSource.</summary>
public sealed record EventSource : ExtensibleModel
{
    [JsonPropertyName("component")]
    public string? Component { get; set; }

    [JsonPropertyName("host")]
    public string? Host { get; set; }
}

/// <summary>core/v1 ObjectReference.</summary>
public sealed record ObjectReference : ExtensibleModel
{
    [JsonPropertyName("apiVersion")]
    public string? ApiVersion { get; set; }

    [JsonPropertyName("kind")]
    public string? Kind { get; set; }

    [JsonPropertyName("namespace")]
    public string? Namespace { get; set; }

    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("uid")]
    public string? Uid { get; set; }

    [JsonPropertyName("resourceVersion")]
    public string? ResourceVersion { get; set; }

    [JsonPropertyName("fieldPath")]
    public string? FieldPath { get; set; }
}
