using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BuildKitController.Hosting.Http;

/// <summary>
/// A minimal plain-HTTP Kestrel server for metrics and health probes: raw request delegates on a fixed set of paths
/// (no MVC or minimal-API binding, nothing for the trimmer), GET and HEAD only, 404 elsewhere, 405 for other
/// methods. The process owns its lifetime: the server does not stop on SIGTERM by itself, so the controller and the
/// gateway can drain first.
/// </summary>
public sealed class HttpEndpoint : IAsyncDisposable
{
    private readonly WebApplication _app;

    private HttpEndpoint(string name, WebApplication app)
    {
        Name = name;
        _app = app;
    }

    /// <summary>What the server serves, for logs (<c>metrics</c>, <c>health probes</c>).</summary>
    public string Name { get; }

    /// <summary>The address actually bound (a port 0 request resolved), once started.</summary>
    public Uri? Address { get; private set; }

    /// <summary>A server on <paramref name="address"/> (null: every address) and <paramref name="port"/>.</summary>
    public static HttpEndpoint Create(string name, string applicationName, IPAddress? address, int port,
        IReadOnlyDictionary<string, RequestDelegate> routes, ILoggerFactory loggers, int? maxConcurrentConnections = null)
    {
        ArgumentNullException.ThrowIfNull(routes);
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = applicationName });
        builder.Services.AddLogging();
        builder.Services.AddSingleton(loggers);
        builder.Services.AddSingleton<IHostLifetime, ProcessOwnedLifetime>();
        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestHeadersTotalSize = 16 * 1024;
            kestrel.Limits.MaxConcurrentConnections = maxConcurrentConnections;
            if (address is null)
            {
                kestrel.ListenAnyIP(port);
            }
            else
            {
                kestrel.Listen(address, port);
            }
        });
        var app = builder.Build();
        app.Run(context => HandleAsync(context, routes));
        return new HttpEndpoint(name, app);
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _app.StartAsync(cancellationToken).ConfigureAwait(false);
        Address = _app.Urls.Select(u => new Uri(u)).FirstOrDefault();
    }

    public Task StopAsync(CancellationToken cancellationToken) => _app.StopAsync(cancellationToken);

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private static Task HandleAsync(HttpContext context, IReadOnlyDictionary<string, RequestDelegate> routes)
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
    }

    /// <summary>A host lifetime that leaves start and stop to the process (no signal handlers).</summary>
    private sealed class ProcessOwnedLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
