using System.Text.Json.Serialization;

namespace BuildKitController.Kubernetes.Models;

/// <summary>metav1.DeleteOptions, sent as the body of a DELETE.</summary>
public sealed record DeleteOptions : ExtensibleModel
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = "v1";

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "DeleteOptions";

    [JsonPropertyName("gracePeriodSeconds")]
    public long? GracePeriodSeconds { get; set; }

    /// <summary><c>Orphan</c>, <c>Background</c> or <c>Foreground</c>.</summary>
    [JsonPropertyName("propagationPolicy")]
    public string? PropagationPolicy { get; set; }

    [JsonPropertyName("preconditions")]
    public Preconditions? Preconditions { get; set; }

    [JsonPropertyName("dryRun")]
    public List<string>? DryRun { get; set; }
}

/// <summary>metav1.Preconditions: the delete only happens if these still hold.</summary>
public sealed record Preconditions : ExtensibleModel
{
    [JsonPropertyName("uid")]
    public string? Uid { get; set; }

    [JsonPropertyName("resourceVersion")]
    public string? ResourceVersion { get; set; }
}

/// <summary>Values of <see cref="DeleteOptions.PropagationPolicy"/>.</summary>
public static class PropagationPolicy
{
    public const string Orphan = "Orphan";
    public const string Background = "Background";
    public const string Foreground = "Foreground";
}
