using System.Text.Json.Serialization;
using BuildKitController.Kubernetes.Models;
using BuildKitController.Kubernetes.Models.Serialization;

namespace BuildKitController.Core.Api.V1Alpha1;

/// <summary>Observed state of a <see cref="BuildKitWorker"/>.</summary>
public sealed record BuildKitWorkerStatus : ExtensibleModel
{
    /// <summary>One of <see cref="WorkerPhases"/>; empty for a worker that was just created.</summary>
    [JsonPropertyName("phase")]
    public string? Phase { get; set; }

    [JsonPropertyName("conditions")]
    public List<Condition>? Conditions { get; set; }

    [JsonPropertyName("podName")]
    public string? PodName { get; set; }

    [JsonPropertyName("podIP")]
    public string? PodIP { get; set; }

    /// <summary><c>tcp://&lt;podIP&gt;:1234</c>.</summary>
    [JsonPropertyName("endpoint")]
    public string? Endpoint { get; set; }

    [JsonPropertyName("createdAt")]
    [JsonConverter(typeof(Rfc3339TimeConverter))]
    public DateTimeOffset? CreatedAt { get; set; }

    [JsonPropertyName("readyAt")]
    [JsonConverter(typeof(Rfc3339TimeConverter))]
    public DateTimeOffset? ReadyAt { get; set; }

    [JsonPropertyName("lastActivityAt")]
    [JsonConverter(typeof(Rfc3339TimeConverter))]
    public DateTimeOffset? LastActivityAt { get; set; }

    [JsonPropertyName("allocationCount")]
    public int? AllocationCount { get; set; }

    /// <summary>
    /// Extension (not in the Go controller): connections the gateway currently routes to this worker.
    /// </summary>
    [JsonPropertyName("activeConnections")]
    public int? ActiveConnections { get; set; }

    [JsonPropertyName("message")]
    public string? Message { get; set; }
}

/// <summary>Values of <see cref="BuildKitWorkerStatus.Phase"/>.</summary>
public static class WorkerPhases
{
    public const string Pending = "Pending";
    public const string Provisioning = "Provisioning";
    public const string Running = "Running";
    public const string Idle = "Idle";
    public const string Allocated = "Allocated";
    public const string Terminating = "Terminating";
    public const string Failed = "Failed";

    public static IReadOnlyList<string> All { get; } = [Pending, Provisioning, Running, Idle, Allocated, Terminating, Failed];
}
