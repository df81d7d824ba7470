using BuildKitController.Kubernetes.Http;

namespace BuildKitController.Kubernetes.Client;

/// <summary>One API call, re-sendable across retries (the body is kept as bytes).</summary>
/// <param name="Method">HTTP method.</param>
/// <param name="PathAndQuery">Path below the server URL, with query string.</param>
/// <param name="Kind">What the call does; governs retries.</param>
/// <param name="Body">Request body, if any.</param>
/// <param name="ContentType">Media type of <paramref name="Body"/>.</param>
public sealed record KubernetesRequest(
    HttpMethod Method,
    string PathAndQuery,
    RequestKind Kind,
    ReadOnlyMemory<byte>? Body = null,
    string? ContentType = null);
