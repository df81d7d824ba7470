namespace BuildKitController.Kubernetes.Http;

/// <summary>What a request does; decides which failures may be retried without doing something twice.</summary>
public enum RequestKind
{
    Read,
    Watch,
    Create,
    Update,
    Patch,
    Apply,
    Delete,
}

internal static class RequestKindExtensions
{
    /// <summary>Reads and server-side applies can be repeated with the same outcome.</summary>
    public static bool IsIdempotent(this RequestKind kind) => kind is RequestKind.Read or RequestKind.Watch or RequestKind.Apply;
}
