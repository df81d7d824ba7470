namespace BuildKitController.Testing.FakeKubernetes;

/// <summary>One request the fake server answered (status 0: the connection was closed without a response).</summary>
public sealed record RequestLogEntry(string Method, string PathAndQuery, string? ContentType, string? UserAgent, int StatusCode, string? User)
{
    /// <summary>The path without the query string.</summary>
    public string Path => PathAndQuery.Split('?', 2)[0];
}
