using System.Text.Json.Serialization;

namespace BuildKitController.Kubernetes.Models;

/// <summary>metav1.Status: the body of every API error and of some delete responses.</summary>
public sealed record Status : ExtensibleModel
{
    [JsonPropertyName("apiVersion")]
    public string? ApiVersion { get; set; } = "v1";

    [JsonPropertyName("kind")]
    public string? Kind { get; set; } = "Status";

    [JsonPropertyName("metadata")]
    public ListMeta? Metadata { get; set; }

    /// <summary><c>Success</c> or <c>Failure</c>.</summary>
    [JsonPropertyName("status")]
    public string? Result { get; set; }

    [JsonPropertyName("message")]
    public string? Message { get; set; }

    /// <summary>Machine-readable reason, e.g. <c>NotFound</c>, <c>Conflict</c>, <c>Expired</c>.</summary>
    [JsonPropertyName("reason")]
    public string? Reason { get; set; }

    [JsonPropertyName("details")]
    public StatusDetails? Details { get; set; }

    [JsonPropertyName("code")]
    public int Code { get; set; }
}

/// <summary>metav1.StatusDetails.</summary>
public sealed record StatusDetails : ExtensibleModel
{
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("group")]
    public string? Group { get; set; }

    [JsonPropertyName("kind")]
    public string? Kind { get; set; }

    [JsonPropertyName("uid")]
    public string? Uid { get; set; }

    [JsonPropertyName("causes")]
    public List<StatusCause>? Causes { get; set; }

    [JsonPropertyName("retryAfterSeconds")]
    public int? RetryAfterSeconds { get; set; }
}

/// <summary>metav1.StatusCause.</summary>
public sealed record StatusCause : ExtensibleModel
{
    [JsonPropertyName("reason")]
    public string? Reason { get; set; }

    [JsonPropertyName("message")]
    public string? Message { get; set; }

    [JsonPropertyName("field")]
    public string? Field { get; set; }
}

/// <summary>Well-known values of <see cref="Status.Reason"/> (metav1.StatusReason).</summary>
public static class StatusReasons
{
    public const string NotFound = "NotFound";
    public const string AlreadyExists = "AlreadyExists";
    public const string Conflict = "Conflict";
    public const string Gone = "Gone";
    public const string Expired = "Expired";
    public const string Invalid = "Invalid";
    public const string BadRequest = "BadRequest";
    public const string Forbidden = "Forbidden";
    public const string Unauthorized = "Unauthorized";
    public const string MethodNotAllowed = "MethodNotAllowed";
    public const string UnsupportedMediaType = "UnsupportedMediaType";
    public const string TooManyRequests = "TooManyRequests";
    public const string Timeout = "Timeout";
    public const string ServerTimeout = "ServerTimeout";
    public const string InternalError = "InternalError";
    public const string ServiceUnavailable = "ServiceUnavailable";
    public const string RequestEntityTooLarge = "RequestEntityTooLarge";
}
