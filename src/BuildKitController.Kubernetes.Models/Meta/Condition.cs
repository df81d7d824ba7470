using System.Text.Json.Serialization;
using BuildKitController.Kubernetes.Models.Serialization;

namespace BuildKitController.Kubernetes.Models;

/// <summary>metav1.Condition.</summary>
public sealed record Condition : ExtensibleModel
{
    [JsonPropertyName("type")]
    public string Type { get; set; } = "";

    /// <summary><c>True</c>, <c>False</c> or <c>Unknown</c>.</summary>
    [JsonPropertyName("status")]
    public string Status { get; set; } = ConditionStatus.Unknown;

    [JsonPropertyName("observedGeneration")]
    public long? ObservedGeneration { get; set; }

    [JsonPropertyName("lastTransitionTime")]
    [JsonConverter(typeof(Rfc3339TimeConverter))]
    public DateTimeOffset? LastTransitionTime { get; set; }

    [JsonPropertyName("reason")]
    public string Reason { get; set; } = "";

    [JsonPropertyName("message")]
    public string Message { get; set; } = "";
}

/// <summary>Values of <see cref="Condition.Status"/>.</summary>
public static class ConditionStatus
{
    public const string True = "True";
    public const string False = "False";
    public const string Unknown = "Unknown";
}
