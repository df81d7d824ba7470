using System.Text.Json;
using System.Text.Json.Serialization;

namespace BuildKitController.Kubernetes.Models.CoreV1;

/// <summary>core/v1 Volume (the sources the product uses are typed; others survive in extension data).</summary>
public sealed record Volume : ExtensibleModel
{
    [JsonPropertyName("name")]
    public string Name { get; set; } = "";

    [JsonPropertyName("emptyDir")]
    public EmptyDirVolumeSource? EmptyDir { get; set; }

    [JsonPropertyName("secret")]
    public SecretVolumeSource? Secret { get; set; }

    [JsonPropertyName("configMap")]
    public ConfigMapVolumeSource? ConfigMap { get; set; }

    [JsonPropertyName("persistentVolumeClaim")]
    public PersistentVolumeClaimVolumeSource? PersistentVolumeClaim { get; set; }

    [JsonPropertyName("projected")]
    public JsonElement? Projected { get; set; }
}

/// <summary>core/v1 EmptyDirVolumeSource.</summary>
public sealed record EmptyDirVolumeSource : ExtensibleModel
{
    [JsonPropertyName("medium")]
    public string? Medium { get; set; }

    [JsonPropertyName("sizeLimit")]
    public string? SizeLimit { get; set; }
}

/// <summary>core/v1 SecretVolumeSource.</summary>
public sealed record SecretVolumeSource : ExtensibleModel
{
    [JsonPropertyName("secretName")]
    public string? SecretName { get; set; }

    [JsonPropertyName("defaultMode")]
    public int? DefaultMode { get; set; }

    [JsonPropertyName("items")]
    public List<KeyToPath>? Items { get; set; }

    [JsonPropertyName("optional")]
    public bool? Optional { get; set; }
}

/// <summary>core/v1 ConfigMapVolumeSource.</summary>
public sealed record ConfigMapVolumeSource : ExtensibleModel
{
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("defaultMode")]
    public int? DefaultMode { get; set; }

    [JsonPropertyName("items")]
    public List<KeyToPath>? Items { get; set; }

    [JsonPropertyName("optional")]
    public bool? Optional { get; set; }
}

/// <summary>core/v1 PersistentVolumeClaimVolumeSource.</summary>
public sealed record PersistentVolumeClaimVolumeSource : ExtensibleModel
{
    [JsonPropertyName("claimName")]
    public string ClaimName { get; set; } = "";

    [JsonPropertyName("readOnly")]
    public bool? ReadOnly { get; set; }
}

/// <summary>core/v1 KeyToPath.</summary>
public sealed record KeyToPath : ExtensibleModel
{
    [JsonPropertyName("key")]
    public string Key { get; set; } = "";

    [JsonPropertyName("path")]
    public string Path { get; set; } = "";

    [JsonPropertyName("mode")]
    public int? Mode { get; set; }
}
