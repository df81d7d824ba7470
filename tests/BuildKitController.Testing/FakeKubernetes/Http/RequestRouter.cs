namespace BuildKitController.Testing.FakeKubernetes.Http;

/// <summary>Parses request paths and verbs the way kube-apiserver does.</summary>
internal static class RequestRouter
{
    private static readonly HashSet<string> NamespaceSubresources = new(StringComparer.Ordinal) { "status", "finalize" };

    public static RequestInfo Parse(string method, string path, bool watchParameter)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var nonResource = new RequestInfo { Path = path, Verb = method.ToLowerInvariant() };
        if (segments.Length == 0 || segments[0] is not ("api" or "apis"))
        {
            return nonResource;
        }

        string group;
        string version;
        int rest;
        if (segments[0] == "api")
        {
            if (segments.Length < 2)
            {
                return nonResource with { ApiPrefix = "api" };
            }

            (group, version, rest) = ("", segments[1], 2);
        }
        else
        {
            if (segments.Length < 3)
            {
                return nonResource with { ApiPrefix = "apis", Group = segments.Length == 2 ? segments[1] : null };
            }

            (group, version, rest) = (segments[1], segments[2], 3);
        }

        var parts = segments[rest..];
        if (parts.Length == 0)
        {
            return nonResource with { ApiPrefix = segments[0], Group = group, Version = version };
        }

        var ns = "";
        if (parts[0] == "namespaces" && parts.Length > 1)
        {
            ns = parts[1];
            if (parts.Length > 2 && !NamespaceSubresources.Contains(parts[2]))
            {
                parts = parts[2..];
            }
        }

        var name = parts.Length > 1 ? parts[1] : "";
        var verb = method switch
        {
            "GET" or "HEAD" => name.Length > 0 ? "get" : watchParameter ? "watch" : "list",
            "POST" => "create",
            "PUT" => "update",
            "PATCH" => "patch",
            "DELETE" => name.Length > 0 ? "delete" : "deletecollection",
            _ => method.ToLowerInvariant(),
        };
        return new RequestInfo
        {
            Path = path,
            Verb = verb,
            IsResourceRequest = true,
            Group = group,
            Version = version,
            Namespace = ns,
            Resource = parts[0],
            Name = name,
            Subresource = parts.Length > 2 ? parts[2] : null,
            HasExtraSegments = parts.Length > 3,
        };
    }
}
