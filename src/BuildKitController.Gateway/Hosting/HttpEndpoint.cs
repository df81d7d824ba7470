using System.Net;

namespace BuildKitController.Gateway.Hosting;

/// <summary>
/// The plain-HTTP server for <c>/metrics</c>, <c>/healthz</c> and <c>/readyz</c>: Kestrel with raw request delegates
/// (no MVC or minimal-API binding, nothing for the trimmer), GET and HEAD only. Probes hit this port, never the
/// TLS listener, so they are not counted as failed handshakes.
/// </summary>
internal sealed class HttpEndpoint : IAsyncDisposable
{
    private readonly WebApplication _app;

    private HttpEndpoint(WebApplication app) => _app = app;

    public Uri? Address { get; private set; }

    public static HttpEndpoint Create(IPEndPoint endPoint, IReadOnlyDictionary<string, Func<HttpContext, Task>> routes, ILoggerFactory loggers)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "buildkit-gateway" });
        builder.Services.AddLogging();
        builder.Services.AddSingleton(loggers);
        builder.Services.AddSingleton<IHostLifetime, ProcessOwnedLifetime>();
        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestHeadersTotalSize = 16 * 1024;
            kestrel.Limits.MaxConcurrentConnections = 64;
            kestrel.Listen(endPoint);
        });
        var app = builder.Build();
        app.Run(context =>
        {
            if (!routes.TryGetValue(context.Request.Path.Value ?? "", out var route))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }

            if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
            {
                context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
                context.Response.Headers.Allow = "GET, HEAD";
                return Task.CompletedTask;
            }

            return route(context);
        });
        return new HttpEndpoint(app);
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _app.StartAsync(cancellationToken).ConfigureAwait(false);
        Address = _app.Urls.Select(u => new Uri(u)).FirstOrDefault();
    }

    public Task StopAsync(CancellationToken cancellationToken) => _app.StopAsync(cancellationToken);

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    /// <summary>The process handles signals itself (drain first), so the host must not stop on SIGTERM.</summary>
    private sealed class ProcessOwnedLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
