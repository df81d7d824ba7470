using System.Text.Json.Serialization;
using BuildKitController.Kubernetes.Models;

namespace BuildKitController.Core.Api.V1Alpha1;

/// <summary>Cache configuration (<c>spec.cache</c>).</summary>
public sealed record CacheConfig : ExtensibleModel
{
    [JsonPropertyName("backends")]
    public List<CacheBackend>? Backends { get; set; }

    /// <summary>Garbage collection; optional (upstream required it by accident).</summary>
    [JsonPropertyName("gc")]
    public GarbageCollectionConfig? Gc { get; set; }
}

/// <summary>One cache backend (<c>spec.cache.backends[]</c>).</summary>
public sealed record CacheBackend : ExtensibleModel
{
    /// <summary>One of <see cref="CacheBackendTypes"/>; required.</summary>
    [JsonPropertyName("type")]
    public string Type { get; set; } = "";

    [JsonPropertyName("registry")]
    public RegistryCacheConfig? Registry { get; set; }

    [JsonPropertyName("s3")]
    public S3CacheConfig? S3 { get; set; }

    [JsonPropertyName("local")]
    public LocalCacheConfig? Local { get; set; }
}

/// <summary>Values of <see cref="CacheBackend.Type"/>.</summary>
public static class CacheBackendTypes
{
    public const string Registry = "registry";
    public const string S3 = "s3";
    public const string Local = "local";

    public static IReadOnlyList<string> All { get; } = [Registry, S3, Local];
}

/// <summary>Registry cache backend.</summary>
public sealed record RegistryCacheConfig : ExtensibleModel
{
    /// <summary>Registry reference, e.g. <c>registry.example.com/cache</c>; required.</summary>
    [JsonPropertyName("endpoint")]
    public string Endpoint { get; set; } = "";

    /// <summary>Cache export mode (<c>min</c> or <c>max</c>); default <c>max</c>.</summary>
    [JsonPropertyName("mode")]
    public string? Mode { get; set; }

    /// <summary>Compression (<c>zstd</c>, <c>gzip</c>); default <c>zstd</c>.</summary>
    [JsonPropertyName("compression")]
    public string? Compression { get; set; }

    [JsonPropertyName("insecure")]
    public bool? Insecure { get; set; }

    /// <summary>Name of a Secret with registry credentials.</summary>
    [JsonPropertyName("credentialsSecret")]
    public string? CredentialsSecret { get; set; }
}

/// <summary>S3 cache backend.</summary>
public sealed record S3CacheConfig : ExtensibleModel
{
    [JsonPropertyName("bucket")]
    public string Bucket { get; set; } = "";

    [JsonPropertyName("region")]
    public string Region { get; set; } = "";

    [JsonPropertyName("endpoint")]
    public string? Endpoint { get; set; }

    [JsonPropertyName("credentialsSecret")]
    public string? CredentialsSecret { get; set; }
}

/// <summary>Local (persistent volume) cache backend.</summary>
public sealed record LocalCacheConfig : ExtensibleModel
{
    [JsonPropertyName("storageClass")]
    public string StorageClass { get; set; } = "";

    /// <summary>Volume size as a resource quantity, e.g. <c>100Gi</c>.</summary>
    [JsonPropertyName("size")]
    public string Size { get; set; } = "";
}

/// <summary>BuildKit garbage collection (<c>spec.cache.gc</c>).</summary>
public sealed record GarbageCollectionConfig : ExtensibleModel
{
    /// <summary>Default true.</summary>
    [JsonPropertyName("enabled")]
    public bool? Enabled { get; set; }

    /// <summary>Cron schedule; default <c>0 2 * * *</c>.</summary>
    [JsonPropertyName("schedule")]
    public string? Schedule { get; set; }

    [JsonPropertyName("keepStorage")]
    public string? KeepStorage { get; set; }

    [JsonPropertyName("keepDuration")]
    public string? KeepDuration { get; set; }
}
