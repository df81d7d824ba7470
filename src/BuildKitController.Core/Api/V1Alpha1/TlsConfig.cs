using System.Text.Json.Serialization;
using BuildKitController.Kubernetes.Models;

namespace BuildKitController.Core.Api.V1Alpha1;

/// <summary>TLS certificate management (<c>spec.tls</c>).</summary>
public sealed record TlsConfig : ExtensibleModel
{
    /// <summary>Default true. TLS cannot be turned off; <c>false</c> is reported, not honoured.</summary>
    [JsonPropertyName("enabled")]
    public bool? Enabled { get; set; }

    /// <summary>One of <see cref="TlsModes"/>; default <c>auto</c>.</summary>
    [JsonPropertyName("mode")]
    public string? Mode { get; set; }

    [JsonPropertyName("auto")]
    public TlsAutoConfig? Auto { get; set; }

    [JsonPropertyName("manual")]
    public TlsManualConfig? Manual { get; set; }
}

/// <summary>Values of <see cref="TlsConfig.Mode"/>.</summary>
public static class TlsModes
{
    public const string Auto = "auto";
    public const string Manual = "manual";

    public static IReadOnlyList<string> All { get; } = [Auto, Manual];
}

/// <summary>Automatic certificates (<c>spec.tls.auto</c>).</summary>
public sealed record TlsAutoConfig : ExtensibleModel
{
    /// <summary>Go duration; default <c>8760h</c>.</summary>
    [JsonPropertyName("serverCertDuration")]
    public string? ServerCertDuration { get; set; }

    /// <summary>Go duration before expiry at which certificates rotate; default <c>720h</c>.</summary>
    [JsonPropertyName("rotateBeforeExpiry")]
    public string? RotateBeforeExpiry { get; set; }

    [JsonPropertyName("organization")]
    public string? Organization { get; set; }
}

/// <summary>User-provided certificates (<c>spec.tls.manual</c>).</summary>
public sealed record TlsManualConfig : ExtensibleModel
{
    [JsonPropertyName("serverCertSecret")]
    public string ServerCertSecret { get; set; } = "";

    [JsonPropertyName("caSecret")]
    public string CaSecret { get; set; } = "";
}
