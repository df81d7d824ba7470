using System.Net;
using BuildKitController.Kubernetes.Models;

namespace BuildKitController.Kubernetes.Errors;

/// <summary>
/// The API server answered with an error <see cref="Models.Status"/>. Subclasses name the cases callers act on;
/// <see cref="KubernetesErrors.FromStatus"/> picks the right one.
/// </summary>
public class KubernetesApiException : Exception
{
    public KubernetesApiException()
        : this(new Status { Code = 0, Message = "Kubernetes API error" })
    {
    }

    public KubernetesApiException(string message)
        : this(new Status { Code = 0, Message = message })
    {
    }

    public KubernetesApiException(string message, Exception innerException)
        : base(message, innerException)
    {
        Status = new Status { Code = 0, Message = message };
    }

    public KubernetesApiException(Status status)
        : base(Describe(status))
    {
        Status = status;
    }

    /// <summary>The decoded <c>Status</c> body (synthesised when the server sent none).</summary>
    public Status Status { get; }

    public HttpStatusCode StatusCode => (HttpStatusCode)Status.Code;

    /// <summary>metav1.StatusReason, e.g. <c>NotFound</c>.</summary>
    public string? Reason => Status.Reason;

    private static string Describe(Status status) =>
        string.IsNullOrEmpty(status.Message) ? $"Kubernetes API error {status.Code} ({status.Reason})" : status.Message;
}

/// <summary>404: the object (or the resource type) does not exist.</summary>
public sealed class KubernetesNotFoundException(Status status) : KubernetesApiException(status);

/// <summary>409 AlreadyExists: a create named an object that exists.</summary>
public sealed class KubernetesAlreadyExistsException(Status status) : KubernetesApiException(status);

/// <summary>409 Conflict: a write carried a stale resourceVersion, a precondition failed, or an apply conflicted with another field manager.</summary>
public sealed class KubernetesConflictException(Status status) : KubernetesApiException(status);

/// <summary>410 Gone / Expired: the requested resourceVersion or continue token is older than the server keeps. Relist.</summary>
public sealed class KubernetesGoneException(Status status) : KubernetesApiException(status);

/// <summary>422 Invalid: the object failed validation; <see cref="Causes"/> names the fields.</summary>
public sealed class KubernetesInvalidException(Status status) : KubernetesApiException(status)
{
    public IReadOnlyList<StatusCause> Causes => Status.Details?.Causes ?? [];
}

/// <summary>400 BadRequest (malformed request, bad selector, unsupported field).</summary>
public sealed class KubernetesBadRequestException(Status status) : KubernetesApiException(status);

/// <summary>401: the credentials were not accepted.</summary>
public sealed class KubernetesUnauthorizedException(Status status) : KubernetesApiException(status);

/// <summary>403: authenticated, but not allowed.</summary>
public sealed class KubernetesForbiddenException(Status status) : KubernetesApiException(status);

/// <summary>429: throttled by API priority and fairness; <see cref="RetryAfter"/> says when to come back.</summary>
public sealed class KubernetesTooManyRequestsException(Status status, TimeSpan? retryAfter) : KubernetesApiException(status)
{
    public TimeSpan? RetryAfter => retryAfter;
}

/// <summary>5xx: the server failed or timed out.</summary>
public sealed class KubernetesServerException(Status status, TimeSpan? retryAfter) : KubernetesApiException(status)
{
    public TimeSpan? RetryAfter => retryAfter;
}
