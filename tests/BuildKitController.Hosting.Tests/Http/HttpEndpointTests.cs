using System.Net;
using BuildKitController.Hosting.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;

namespace BuildKitController.Hosting.Tests.Http;

public sealed class HttpEndpointTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Serves_its_paths_to_GET_and_HEAD_only_and_nothing_else()
    {
        var routes = new Dictionary<string, RequestDelegate>(StringComparer.Ordinal)
        {
            ["/healthz"] = context => context.Response.WriteAsync("ok", context.RequestAborted),
        };
        await using var endpoint = HttpEndpoint.Create("health probes", "test", IPAddress.Loopback, 0, routes, NullLoggerFactory.Instance, maxConcurrentConnections: 8);
        await endpoint.StartAsync(Ct);
        using var http = new HttpClient { BaseAddress = endpoint.Address };

        using var get = await http.GetAsync("/healthz", Ct);
        using var head = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/healthz"), Ct);
        using var post = await http.PostAsync("/healthz", new StringContent(""), Ct);
        using var unknown = await http.GetAsync("/metrics", Ct);

        Assert.Equal("health probes", endpoint.Name);
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal("ok", await get.Content.ReadAsStringAsync(Ct));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
        Assert.Equal("GET, HEAD", string.Join(", ", post.Content.Headers.Allow));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.False(get.Headers.Contains("Server"));
        await endpoint.StopAsync(Ct);
    }
}
