using System.Net;
using System.Text.Json;
using BuildKitController.Kubernetes.Models;

namespace BuildKitController.Kubernetes.Errors;

/// <summary>Decodes error responses into typed exceptions.</summary>
public static class KubernetesErrors
{
    /// <summary>Maps a Status to the exception type callers catch.</summary>
    public static KubernetesApiException FromStatus(Status status, TimeSpan? retryAfter = null)
    {
        var reason = status.Reason;
        return (status.Code, reason) switch
        {
            (_, StatusReasons.AlreadyExists) => new KubernetesAlreadyExistsException(status),
            (409, _) => new KubernetesConflictException(status),
            (404, _) or (_, StatusReasons.NotFound) => new KubernetesNotFoundException(status),
            (410, _) or (_, StatusReasons.Expired) or (_, StatusReasons.Gone) => new KubernetesGoneException(status),
            (422, _) or (_, StatusReasons.Invalid) => new KubernetesInvalidException(status),
            (401, _) => new KubernetesUnauthorizedException(status),
            (403, _) => new KubernetesForbiddenException(status),
            (429, _) => new KubernetesTooManyRequestsException(status, retryAfter ?? SecondsToSpan(status.Details?.RetryAfterSeconds)),
            ( >= 500, _) => new KubernetesServerException(status, retryAfter ?? SecondsToSpan(status.Details?.RetryAfterSeconds)),
            (400, _) => new KubernetesBadRequestException(status),
            _ => new KubernetesApiException(status),
        };
    }

    /// <summary>Reads an error body; a body that is not a Status (a proxy's HTML page, say) becomes a synthetic one.</summary>
    internal static Status ParseStatus(HttpStatusCode code, ReadOnlySpan<byte> body)
    {
        if (!body.IsEmpty)
        {
            try
            {
                var status = JsonSerializer.Deserialize(body, KubernetesModelsJsonContext.Default.Status);
                if (status is not null && string.Equals(status.Kind, "Status", StringComparison.Ordinal))
                {
                    if (status.Code == 0)
                    {
                        status.Code = (int)code;
                    }

                    return status;
                }
            }
            catch (JsonException)
            {
                // Not a Status; fall through.
            }
        }

        return new Status
        {
            Result = "Failure",
            Code = (int)code,
            Reason = ReasonFor(code),
            Message = $"the server responded with {(int)code} {code} and no Status body",
        };
    }

    private static string? ReasonFor(HttpStatusCode code) => code switch
    {
        HttpStatusCode.NotFound => StatusReasons.NotFound,
        HttpStatusCode.Conflict => StatusReasons.Conflict,
        HttpStatusCode.Gone => StatusReasons.Gone,
        HttpStatusCode.UnprocessableEntity => StatusReasons.Invalid,
        HttpStatusCode.BadRequest => StatusReasons.BadRequest,
        HttpStatusCode.Unauthorized => StatusReasons.Unauthorized,
        HttpStatusCode.Forbidden => StatusReasons.Forbidden,
        HttpStatusCode.TooManyRequests => StatusReasons.TooManyRequests,
        HttpStatusCode.GatewayTimeout => StatusReasons.Timeout,
        HttpStatusCode.ServiceUnavailable => StatusReasons.ServiceUnavailable,
        _ when (int)code >= 500 => StatusReasons.InternalError,
        _ => null,
    };

    private static TimeSpan? SecondsToSpan(int? seconds) => seconds is > 0 ? TimeSpan.FromSeconds(seconds.Value) : null;
}
