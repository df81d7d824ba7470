using System.Globalization;
using BuildKitController.Testing.FakeKubernetes.Api;
using BuildKitController.Testing.FakeKubernetes.Registry;

namespace BuildKitController.Testing.FakeKubernetes.Http;

/// <summary>The error an injected failure produces, shaped like the real server's answer for that code.</summary>
internal static class FaultResponses
{
    public static ApiException Create(FaultRule rule, RequestInfo info, ResourceRegistry registry)
    {
        var resource = info.IsResourceRequest ? registry.Find(info.Group!, info.Version!, info.Resource!) : null;
        int? retryAfter = rule.RetryAfter is { } delay ? (int)Math.Max(1, Math.Ceiling(delay.TotalSeconds)) : null;
        return rule.StatusCode switch
        {
            404 when resource is not null && info.Name.Length > 0 && rule.Message is null => ApiErrors.NotFound(resource.Type, info.Name),
            409 when resource is not null && info.Name.Length > 0 && rule.Message is null => ApiErrors.StaleResourceVersion(resource.Type, info.Name),
            429 => ApiErrors.Generic(429, rule.Message, null, null, retryAfter ?? 1),
            500 when rule.Message is not null => ApiErrors.Generic(500, string.Create(CultureInfo.InvariantCulture, $"Internal error occurred: {rule.Message}")),
            _ => ApiErrors.Generic(rule.StatusCode, rule.Message, null, null, retryAfter),
        };
    }
}
