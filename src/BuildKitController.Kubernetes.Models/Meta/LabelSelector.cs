using System.Text.Json.Serialization;

namespace BuildKitController.Kubernetes.Models;

/// <summary>metav1.LabelSelector.</summary>
public sealed record LabelSelector : ExtensibleModel
{
    [JsonPropertyName("matchLabels")]
    public Dictionary<string, string>? MatchLabels { get; set; }

    [JsonPropertyName("matchExpressions")]
    public List<LabelSelectorRequirement>? MatchExpressions { get; set; }
}

/// <summary>metav1.LabelSelectorRequirement.</summary>
public sealed record LabelSelectorRequirement : ExtensibleModel
{
    [JsonPropertyName("key")]
    public string Key { get; set; } = "";

    /// <summary><c>In</c>, <c>NotIn</c>, <c>Exists</c> or <c>DoesNotExist</c>.</summary>
    [JsonPropertyName("operator")]
    public string Operator { get; set; } = "";

    [JsonPropertyName("values")]
    public List<string>? Values { get; set; }
}
