namespace BuildKitController.Kubernetes.Client;

/// <summary>Query options of a list call.</summary>
public sealed record ListOptions
{
    /// <summary>Label selector, e.g. <c>app=x,tier in (a,b),!legacy</c>.</summary>
    public string? LabelSelector { get; init; }

    /// <summary>Field selector, e.g. <c>metadata.name=x</c>.</summary>
    public string? FieldSelector { get; init; }

    /// <summary>Page size; the response then carries a <c>continue</c> token while more remain.</summary>
    public long? Limit { get; init; }

    /// <summary>Token from the previous page.</summary>
    public string? Continue { get; init; }

    /// <summary><c>""</c> (most recent, quorum read), <c>"0"</c> (any, may be served from cache) or an exact version.</summary>
    public string? ResourceVersion { get; init; }

    /// <summary><c>NotOlderThan</c> or <c>Exact</c>, with <see cref="ResourceVersion"/>.</summary>
    public string? ResourceVersionMatch { get; init; }

    internal string ToQuery() => new QueryString()
        .Add("labelSelector", LabelSelector)
        .Add("fieldSelector", FieldSelector)
        .Add("limit", Limit)
        .Add("continue", Continue)
        .Add("resourceVersion", ResourceVersion)
        .Add("resourceVersionMatch", ResourceVersionMatch)
        .ToString();
}
