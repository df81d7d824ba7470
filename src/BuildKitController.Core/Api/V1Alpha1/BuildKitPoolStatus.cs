using System.Text.Json.Serialization;
using BuildKitController.Kubernetes.Models;
using BuildKitController.Kubernetes.Models.Serialization;

namespace BuildKitController.Core.Api.V1Alpha1;

/// <summary>Observed state of a <see cref="BuildKitPool"/>.</summary>
public sealed record BuildKitPoolStatus : ExtensibleModel
{
    /// <summary>Conditions; <c>Ready</c> with reasons <c>GatewayReady</c> / <c>GatewayNotReady</c>.</summary>
    [JsonPropertyName("conditions")]
    public List<Condition>? Conditions { get; set; }

    /// <summary><c>tcp://&lt;host&gt;:&lt;port&gt;</c> of the gateway.</summary>
    [JsonPropertyName("endpoint")]
    public string? Endpoint { get; set; }

    /// <summary>One of <see cref="PoolPhases"/>.</summary>
    [JsonPropertyName("phase")]
    public string? Phase { get; set; }

    [JsonPropertyName("gateway")]
    public GatewayStatus? Gateway { get; set; }

    [JsonPropertyName("workers")]
    public WorkersStatus? Workers { get; set; }

    [JsonPropertyName("lastActivityTime")]
    [JsonConverter(typeof(Rfc3339TimeConverter))]
    public DateTimeOffset? LastActivityTime { get; set; }

    [JsonPropertyName("serverCert")]
    public CertificateInfo? ServerCert { get; set; }

    [JsonPropertyName("tlsSecretName")]
    public string? TlsSecretName { get; set; }

    [JsonPropertyName("workerTLSSecretName")]
    public string? WorkerTlsSecretName { get; set; }

    [JsonPropertyName("lastScaleTime")]
    [JsonConverter(typeof(Rfc3339TimeConverter))]
    public DateTimeOffset? LastScaleTime { get; set; }

    [JsonPropertyName("connections")]
    public ConnectionsStatus? Connections { get; set; }
}

/// <summary>Values of <see cref="BuildKitPoolStatus.Phase"/>.</summary>
public static class PoolPhases
{
    public const string Pending = "Pending";
    public const string Running = "Running";
    public const string ScaledToZero = "ScaledToZero";
    public const string Failed = "Failed";

    public static IReadOnlyList<string> All { get; } = [Pending, Running, ScaledToZero, Failed];
}

/// <summary>Gateway Deployment status.</summary>
public sealed record GatewayStatus : ExtensibleModel
{
    [JsonPropertyName("ready")]
    public bool Ready { get; set; }

    [JsonPropertyName("replicas")]
    public int Replicas { get; set; }

    [JsonPropertyName("readyReplicas")]
    public int ReadyReplicas { get; set; }

    [JsonPropertyName("deploymentName")]
    public string? DeploymentName { get; set; }

    [JsonPropertyName("serviceName")]
    public string? ServiceName { get; set; }
}

/// <summary>Worker counts. <c>desired = min(min + allocated, max)</c>; <c>needed = max(0, desired − (ready + provisioning))</c>.</summary>
public sealed record WorkersStatus : ExtensibleModel
{
    [JsonPropertyName("total")]
    public int Total { get; set; }

    /// <summary>Idle + Running + Allocated.</summary>
    [JsonPropertyName("ready")]
    public int Ready { get; set; }

    [JsonPropertyName("idle")]
    public int Idle { get; set; }

    [JsonPropertyName("allocated")]
    public int Allocated { get; set; }

    [JsonPropertyName("provisioning")]
    public int Provisioning { get; set; }

    [JsonPropertyName("failed")]
    public int Failed { get; set; }

    [JsonPropertyName("desired")]
    public int Desired { get; set; }

    [JsonPropertyName("needed")]
    public int Needed { get; set; }
}

/// <summary>Validity of the gateway server certificate.</summary>
public sealed record CertificateInfo : ExtensibleModel
{
    [JsonPropertyName("notBefore")]
    [JsonConverter(typeof(Rfc3339TimeConverter))]
    public DateTimeOffset? NotBefore { get; set; }

    [JsonPropertyName("notAfter")]
    [JsonConverter(typeof(Rfc3339TimeConverter))]
    public DateTimeOffset? NotAfter { get; set; }

    [JsonPropertyName("renewalTime")]
    [JsonConverter(typeof(Rfc3339TimeConverter))]
    public DateTimeOffset? RenewalTime { get; set; }
}

/// <summary>Gateway connection statistics.</summary>
public sealed record ConnectionsStatus : ExtensibleModel
{
    [JsonPropertyName("active")]
    public int Active { get; set; }

    [JsonPropertyName("total")]
    public long Total { get; set; }

    [JsonPropertyName("lastConnectionTime")]
    [JsonConverter(typeof(Rfc3339TimeConverter))]
    public DateTimeOffset? LastConnectionTime { get; set; }
}
