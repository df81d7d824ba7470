using System.Security.Cryptography.X509Certificates;
using BuildKitController.Operator.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace BuildKitController.Operator.Api;

/// <summary>
/// Kestrel for the allocation API: optional TLS (certificate and key files, re-read when they change), bounded
/// bodies and headers, header and body timeouts against slow clients, HTTP/1.1 and HTTP/2.
/// </summary>
internal sealed class ApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ApiServer(WebApplication app) => _app = app;

    public Uri? Address { get; private set; }

    public static ApiServer Create(BindAddress address, ApiTlsFiles? tls, ApiOptions options, RequestDelegate handler, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(options);
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "buildkit-controller-api" });
        builder.Services.AddLogging();
        builder.Services.AddSingleton(loggers);
        builder.Services.AddSingleton<IHostLifetime, NoSignalLifetime>();
        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes;
            kestrel.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
            kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(15);
            kestrel.Limits.KeepAliveTimeout = TimeSpan.FromSeconds(60);
            kestrel.Limits.MinRequestBodyDataRate = new MinDataRate(bytesPerSecond: 240, gracePeriod: TimeSpan.FromSeconds(5));
            kestrel.Limits.MaxConcurrentConnections = 10_000;
            void Configure(ListenOptions listen)
            {
                // HTTP/2 needs ALPN, so only with TLS; plain HTTP is HTTP/1.1 (Kestrel warns at every start otherwise).
                listen.Protocols = tls is null ? HttpProtocols.Http1 : HttpProtocols.Http1AndHttp2;
                if (tls is not null)
                {
                    listen.UseHttps(https => https.ServerCertificateSelector = (_, _) => tls.Current());
                }
            }

            if (address.ListenAddress is { } ip)
            {
                kestrel.Listen(ip, address.Port, Configure);
            }
            else
            {
                kestrel.ListenAnyIP(address.Port, Configure);
            }
        });
        var app = builder.Build();
        app.Run(handler);
        return new ApiServer(app);
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _app.StartAsync(cancellationToken);
        Address = _app.Urls.Select(u => new Uri(u)).FirstOrDefault();
    }

    public Task StopAsync(CancellationToken cancellationToken) => _app.StopAsync(cancellationToken);

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private sealed class NoSignalLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

/// <summary>
/// The API's serving certificate from PEM files, reloaded when either file's modification time changes (cert-manager
/// rotation needs no restart). A pair that does not load (a rotation caught half-written, a key that does not match)
/// keeps the previous certificate in service, with one warning, until the files change again; only the first load must succeed.
/// </summary>
internal sealed class ApiTlsFiles(string certificatePath, string keyPath, ILogger? logger = null)
{
    private readonly Lock _lock = new();
    private (DateTime Certificate, DateTime Key) _stamp;
    private (DateTime Certificate, DateTime Key) _failed;
    private X509Certificate2? _current;

    public X509Certificate2 Current()
    {
        var stamp = (File.GetLastWriteTimeUtc(certificatePath), File.GetLastWriteTimeUtc(keyPath));
        lock (_lock)
        {
            if (_current is null || (stamp != _stamp && stamp != _failed))
            {
                try
                {
                    using var loaded = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
                    _current = X509CertificateLoader.LoadPkcs12(loaded.Export(X509ContentType.Pkcs12), null);
                    _stamp = stamp;
                }
                catch (Exception ex) when (_current is not null && ex is System.Security.Cryptography.CryptographicException or IOException or ArgumentException)
                {
                    _failed = stamp;
                    if (logger is not null)
                    {
                        ApiLog.TlsReloadFailed(logger, certificatePath, keyPath, ex.Message);
                    }
                }
            }

            return _current;
        }
    }
}
