namespace BuildKitController.Operator.Hosting;

/// <summary>
/// A minimal plain-HTTP Kestrel server on one <see cref="BindAddress"/> answering GET/HEAD on a fixed set of paths
/// with raw request delegates (no MVC, no minimal-API binding, so nothing for the trimmer to worry about).
/// </summary>
internal sealed class HttpEndpointServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private HttpEndpointServer(string name, WebApplication app)
    {
        Name = name;
        _app = app;
    }

    /// <summary>What the server serves, for logs (<c>metrics</c>, <c>health probes</c>).</summary>
    public string Name { get; }

    /// <summary>The address actually bound (a port 0 request resolved), once started.</summary>
    public Uri? Address { get; private set; }

    public static HttpEndpointServer Create(string name, BindAddress address, IReadOnlyDictionary<string, RequestDelegate> routes, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsDisabled)
        {
            throw new ArgumentException("the address is disabled", nameof(address));
        }

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "buildkit-controller" });
        builder.Services.AddLogging();
        builder.Services.AddSingleton(loggers);

        // The process handles SIGTERM itself (graceful, bounded); the default console lifetime would stop these
        // servers on the signal, before the controllers have drained.
        builder.Services.AddSingleton<IHostLifetime, ProcessOwnedLifetime>();
        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestHeadersTotalSize = 16 * 1024;
            if (address.ListenAddress is { } ip)
            {
                kestrel.Listen(ip, address.Port);
            }
            else
            {
                kestrel.ListenAnyIP(address.Port);
            }
        });
        var app = builder.Build();
        app.Run(context => HandleAsync(context, routes));
        return new HttpEndpointServer(name, app);
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _app.StartAsync(cancellationToken);
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

    /// <summary>A host lifetime that leaves start and stop to <see cref="OperatorHost"/> (no signal handlers).</summary>
    private sealed class ProcessOwnedLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
