using System.Text.Json.Serialization;
using BuildKitController.Kubernetes.Models;

namespace BuildKitController.Core.Api.V1Alpha1;

/// <summary>Scaling behaviour of a pool (<c>spec.scaling</c>).</summary>
public sealed record ScalingConfig : ExtensibleModel
{
    /// <summary>One of <see cref="ScalingModes"/>; default <c>auto</c>.</summary>
    [JsonPropertyName("mode")]
    public string? Mode { get; set; }

    /// <summary>Idle workers kept warm in addition to allocated ones; default 0 (scale to zero).</summary>
    [JsonPropertyName("min")]
    public int? Min { get; set; }

    /// <summary>Maximum number of workers; default 10.</summary>
    [JsonPropertyName("max")]
    public int? Max { get; set; }

    /// <summary>Go duration an allocation may stay idle before it is released; default <c>15m</c>.</summary>
    [JsonPropertyName("scaleDownDelay")]
    public string? ScaleDownDelay { get; set; }

    /// <summary>Target CPU utilisation percentage (1–100); default 70.</summary>
    [JsonPropertyName("targetCPUUtilization")]
    public int? TargetCpuUtilization { get; set; }

    /// <summary>Target memory utilisation percentage (1–100); default 80.</summary>
    [JsonPropertyName("targetMemoryUtilization")]
    public int? TargetMemoryUtilization { get; set; }

    /// <summary>Target active connections per worker; default 10.</summary>
    [JsonPropertyName("targetActiveConnections")]
    public int? TargetActiveConnections { get; set; }

    /// <summary>Five-field cron expression at which the pool scales its idle workers down to zero.</summary>
    [JsonPropertyName("scaleDownSchedule")]
    public string? ScaleDownSchedule { get; set; }
}

/// <summary>Values of <see cref="ScalingConfig.Mode"/>.</summary>
public static class ScalingModes
{
    public const string Auto = "auto";
    public const string Manual = "manual";
    public const string Dynamic = "dynamic";

    public static IReadOnlyList<string> All { get; } = [Auto, Manual, Dynamic];
}
