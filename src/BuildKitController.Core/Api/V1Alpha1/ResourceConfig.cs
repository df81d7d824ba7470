using System.Text.Json.Serialization;
using BuildKitController.Core.Serialization;
using BuildKitController.Kubernetes.Models;
using BuildKitController.Kubernetes.Models.CoreV1;

namespace BuildKitController.Core.Api.V1Alpha1;

/// <summary>
/// Worker container resources (<c>spec.resources</c>). Quantities may be written as YAML numbers
/// (<c>cpu: 1</c>), as the API server stores them; they are read as strings.
/// </summary>
public sealed record ResourceConfig : ExtensibleModel
{
    /// <summary>
    /// Resources of the <c>buildkitd</c> container. When both requests and limits are empty the preset of
    /// <see cref="Size"/> (default <c>md</c>) applies.
    /// </summary>
    [JsonPropertyName("buildkit")]
    [JsonConverter(typeof(QuantityTolerantResourceRequirementsConverter))]
    public ResourceRequirements? Buildkit { get; set; }

    /// <summary>Legacy (auth-proxy sidecar); accepted for compatibility and ignored.</summary>
    [JsonPropertyName("sidecar")]
    [JsonConverter(typeof(QuantityTolerantResourceRequirementsConverter))]
    public ResourceRequirements? Sidecar { get; set; }

    /// <summary>
    /// Extension (not in the Go controller): a resource preset, one of <see cref="ResourceSizes"/>. Explicit
    /// <see cref="Buildkit"/> requests and limits override the preset key by key.
    /// </summary>
    [JsonPropertyName("size")]
    public string? Size { get; set; }
}

/// <summary>Values of <see cref="ResourceConfig.Size"/>.</summary>
public static class ResourceSizes
{
    public const string Small = "sm";
    public const string Medium = "md";
    public const string Large = "lg";
    public const string ExtraLarge = "xl";

    public static IReadOnlyList<string> All { get; } = [Small, Medium, Large, ExtraLarge];
}
