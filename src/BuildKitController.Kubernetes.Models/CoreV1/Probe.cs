using System.Text.Json.Serialization;

namespace BuildKitController.Kubernetes.Models.CoreV1;

/// <summary>core/v1 Probe.</summary>
public sealed record Probe : ExtensibleModel
{
    [JsonPropertyName("exec")]
    public ExecAction? Exec { get; set; }

    [JsonPropertyName("httpGet")]
    public HttpGetAction? HttpGet { get; set; }

    [JsonPropertyName("tcpSocket")]
    public TcpSocketAction? TcpSocket { get; set; }

    [JsonPropertyName("initialDelaySeconds")]
    public int? InitialDelaySeconds { get; set; }

    [JsonPropertyName("periodSeconds")]
    public int? PeriodSeconds { get; set; }

    [JsonPropertyName("timeoutSeconds")]
    public int? TimeoutSeconds { get; set; }

    [JsonPropertyName("successThreshold")]
    public int? SuccessThreshold { get; set; }

    [JsonPropertyName("failureThreshold")]
    public int? FailureThreshold { get; set; }
}

/// <summary>core/v1 ExecAction.</summary>
public sealed record ExecAction : ExtensibleModel
{
    [JsonPropertyName("command")]
    public List<string>? Command { get; set; }
}

/// <summary>core/v1 HTTPGetAction.</summary>
public sealed record HttpGetAction : ExtensibleModel
{
    [JsonPropertyName("path")]
    public string? Path { get; set; }

    [JsonPropertyName("port")]
    public IntOrString Port { get; set; }

    [JsonPropertyName("scheme")]
    public string? Scheme { get; set; }
}

/// <summary>core/v1 TCPSocketAction.</summary>
public sealed record TcpSocketAction : ExtensibleModel
{
    [JsonPropertyName("port")]
    public IntOrString Port { get; set; }
}
