using System.Net.Http.Headers;

namespace BuildKitController.Kubernetes.Http;

internal static class RetryAfter
{
    /// <summary>Reads <c>Retry-After</c> as seconds or an HTTP date.</summary>
    public static TimeSpan? Read(HttpResponseHeaders headers, DateTimeOffset now)
    {
        var value = headers.RetryAfter;
        if (value?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (value?.Date is { } date)
        {
            var wait = date - now;
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }
}
