using System.Text;
using BuildKitController.Kubernetes.Models;

namespace BuildKitController.Kubernetes.Client;

/// <summary>Builds REST paths: <c>/api/v1/namespaces/{ns}/pods/{name}/status</c>, <c>/apis/apps/v1/deployments</c>, …</summary>
internal static class ResourcePath
{
    public static string For(ResourceType resource, string? ns, string? name = null, string? subresource = null)
    {
        var builder = new StringBuilder(resource.ApiPrefix);
        if (resource.Namespaced && !string.IsNullOrEmpty(ns))
        {
            builder.Append("/namespaces/").Append(Uri.EscapeDataString(ns));
        }

        builder.Append('/').Append(resource.Plural);
        if (!string.IsNullOrEmpty(name))
        {
            builder.Append('/').Append(Uri.EscapeDataString(name));
            if (!string.IsNullOrEmpty(subresource))
            {
                builder.Append('/').Append(subresource);
            }
        }

        return builder.ToString();
    }
}
