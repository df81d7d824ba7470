using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace BuildKitController.Kubernetes.Models.ApiExtensionsV1;

/// <summary>apiextensions.k8s.io/v1 CustomResourceDefinition. The schema is kept as raw JSON.</summary>
public sealed record CustomResourceDefinition() : KubernetesObject("apiextensions.k8s.io/v1", "CustomResourceDefinition"), IKubernetesResource<CustomResourceDefinition>
{
    public static ResourceType Resource { get; } = new("apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", Namespaced: false);

    public static JsonTypeInfo<CustomResourceDefinition> JsonTypeInfo => KubernetesModelsJsonContext.Default.CustomResourceDefinition;

    public static JsonTypeInfo<KubernetesList<CustomResourceDefinition>> ListJsonTypeInfo => KubernetesModelsJsonContext.Default.KubernetesListCustomResourceDefinition;

    [JsonPropertyName("spec")]
    public CustomResourceDefinitionSpec Spec { get; set; } = new();

    [JsonPropertyName("status")]
    public JsonElement? Status { get; set; }
}

/// <summary>apiextensions.k8s.io/v1 CustomResourceDefinitionSpec.</summary>
public sealed record CustomResourceDefinitionSpec : ExtensibleModel
{
    [JsonPropertyName("group")]
    public string Group { get; set; } = "";

    [JsonPropertyName("names")]
    public CustomResourceDefinitionNames Names { get; set; } = new();

    /// <summary><c>Namespaced</c> or <c>Cluster</c>.</summary>
    [JsonPropertyName("scope")]
    public string Scope { get; set; } = "Namespaced";

    [JsonPropertyName("versions")]
    public List<CustomResourceDefinitionVersion> Versions { get; set; } = [];
}

/// <summary>apiextensions.k8s.io/v1 CustomResourceDefinitionNames.</summary>
public sealed record CustomResourceDefinitionNames : ExtensibleModel
{
    [JsonPropertyName("plural")]
    public string Plural { get; set; } = "";

    [JsonPropertyName("singular")]
    public string? Singular { get; set; }

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "";

    [JsonPropertyName("listKind")]
    public string? ListKind { get; set; }

    [JsonPropertyName("shortNames")]
    public List<string>? ShortNames { get; set; }

    [JsonPropertyName("categories")]
    public List<string>? Categories { get; set; }
}

/// <summary>apiextensions.k8s.io/v1 CustomResourceDefinitionVersion.</summary>
public sealed record CustomResourceDefinitionVersion : ExtensibleModel
{
    [JsonPropertyName("name")]
    public string Name { get; set; } = "";

    [JsonPropertyName("served")]
    public bool Served { get; set; }

    [JsonPropertyName("storage")]
    public bool Storage { get; set; }

    [JsonPropertyName("schema")]
    public JsonElement? Schema { get; set; }

    [JsonPropertyName("subresources")]
    public JsonElement? Subresources { get; set; }

    [JsonPropertyName("additionalPrinterColumns")]
    public List<JsonElement>? AdditionalPrinterColumns { get; set; }
}
