using System.Text.Json.Serialization;
using BuildKitController.Kubernetes.Models;
using BuildKitController.Kubernetes.Models.Serialization;

namespace BuildKitController.Core.Api.V1Alpha1;

/// <summary>Desired state of a <see cref="BuildKitWorker"/>.</summary>
public sealed record BuildKitWorkerSpec : ExtensibleModel
{
    /// <summary>The parent pool; required.</summary>
    [JsonPropertyName("poolRef")]
    public PoolReference PoolRef { get; set; } = new();

    /// <summary>Set while the worker is allocated to a job.</summary>
    [JsonPropertyName("allocation")]
    public WorkerAllocation? Allocation { get; set; }
}

/// <summary>Reference to a <see cref="BuildKitPool"/>.</summary>
public sealed record PoolReference : ExtensibleModel
{
    /// <summary>Pool name; required.</summary>
    [JsonPropertyName("name")]
    public string Name { get; set; } = "";

    /// <summary>Pool namespace; defaults to the worker's namespace.</summary>
    [JsonPropertyName("namespace")]
    public string? Namespace { get; set; }
}

/// <summary>The job a worker is allocated to (<c>spec.allocation</c>).</summary>
public sealed record WorkerAllocation : ExtensibleModel
{
    /// <summary>Job identifier (from the request, or a generated UUID); required.</summary>
    [JsonPropertyName("jobId")]
    public string JobId { get; set; } = "";

    /// <summary>
    /// Deprecated: the clear allocation token, as the Go controller stored it. Read from legacy objects only; this
    /// controller never writes it (see <see cref="TokenHash"/>).
    /// </summary>
    [JsonPropertyName("token")]
    public string? Token { get; set; }

    /// <summary>
    /// Extension (not in the Go controller): a one-way hash of the allocation token. The clear token is never stored.
    /// </summary>
    [JsonPropertyName("tokenHash")]
    public string? TokenHash { get; set; }

    /// <summary>The authenticated identity that allocated the worker.</summary>
    [JsonPropertyName("requestedBy")]
    public string? RequestedBy { get; set; }

    /// <summary>Allocation time; required.</summary>
    [JsonPropertyName("allocatedAt")]
    [JsonConverter(typeof(Rfc3339TimeConverter))]
    public DateTimeOffset? AllocatedAt { get; set; }

    /// <summary>When the allocation expires; the worker is deleted then.</summary>
    [JsonPropertyName("expiresAt")]
    [JsonConverter(typeof(Rfc3339TimeConverter))]
    public DateTimeOffset? ExpiresAt { get; set; }

    /// <summary>Free-form job metadata from the request.</summary>
    [JsonPropertyName("metadata")]
    public Dictionary<string, string>? Metadata { get; set; }
}
