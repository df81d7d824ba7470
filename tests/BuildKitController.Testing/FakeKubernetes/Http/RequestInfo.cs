namespace BuildKitController.Testing.FakeKubernetes.Http;

/// <summary>A parsed request path (like the apiserver's RequestInfoFactory).</summary>
internal sealed record RequestInfo
{
    public required string Path { get; init; }

    public required string Verb { get; init; }

    /// <summary>A resource request (<c>/api/v1/…</c>, <c>/apis/g/v/…</c> with a resource segment).</summary>
    public bool IsResourceRequest { get; init; }

    /// <summary>For discovery paths: <c>api</c> or <c>apis</c>; null otherwise.</summary>
    public string? ApiPrefix { get; init; }

    public string? Group { get; init; }

    public string? Version { get; init; }

    public string Namespace { get; init; } = "";

    public string? Resource { get; init; }

    public string Name { get; init; } = "";

    public string? Subresource { get; init; }

    /// <summary>Extra path segments the real server would not accept.</summary>
    public bool HasExtraSegments { get; init; }

    public bool IsWatch => Verb == "watch";

    public FaultRequest ToFaultRequest(string method) =>
        new(method, Path, Verb, Group, Version, Resource, Subresource, Namespace.Length == 0 ? null : Namespace, Name.Length == 0 ? null : Name, IsWatch);
}
