using System.Buffers;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using BuildKitController.Testing.FakeKubernetes.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BuildKitController.Testing.Oidc;

/// <summary>
/// An OpenID Connect issuer on 127.0.0.1 for tests: serves the discovery document and the JWKS (RS256 and ES256
/// keys by default, rotatable), mints tokens (valid, expired, wrong audience or issuer, <c>alg: none</c>, unknown
/// key, tampered), injects faults per endpoint and counts the requests each path received.
/// </summary>
public sealed class TestOidcIssuer : IAsyncDisposable
{
    /// <summary>The discovery path below the issuer.</summary>
    public const string DiscoverySuffix = "/.well-known/openid-configuration";

    /// <summary>The JWKS path below the issuer.</summary>
    public const string JwksSuffix = "/.well-known/jwks";

    private readonly WebApplication _app;
    private readonly FakeCertificateAuthority? _authority;
    private readonly TestOidcIssuerOptions _options;
    private readonly CancellationTokenSource _shutdown;
    private readonly Lock _lock = new();
    private readonly List<TestSigningKey> _owned = [];
    private readonly List<TestSigningKey> _published = [];
    private readonly Dictionary<string, TestSigningKey> _current = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _requests = new(StringComparer.Ordinal);
    private readonly List<(string Path, int Count, TaskCompletionSource Signal)> _waiters = [];
    private TestOidcFault _discoveryFault;
    private TestOidcFault _jwksFault;
    private string? _discoveryIssuerOverride;
    private string? _jwksUriOverride;
    private string? _discoveryResponseOverride;
    private string? _jwksResponseOverride;
    private int _disposed;

    private TestOidcIssuer(WebApplication app, FakeCertificateAuthority? authority, TestOidcIssuerOptions options, CancellationTokenSource shutdown, Uri baseAddress, string pathPrefix)
    {
        _app = app;
        _authority = authority;
        _options = options;
        _shutdown = shutdown;
        BaseAddress = baseAddress;
        Issuer = $"{baseAddress.GetLeftPart(UriPartial.Authority)}{pathPrefix}";
        DiscoveryPath = pathPrefix + DiscoverySuffix;
        JwksPath = pathPrefix + JwksSuffix;
    }

    /// <summary>The issuer identifier: <c>https://127.0.0.1:port</c> plus the path prefix, without a trailing slash.</summary>
    public string Issuer { get; }

    /// <summary><c>https://127.0.0.1:port/</c> (or <c>http://</c>).</summary>
    public Uri BaseAddress { get; }

    /// <summary>Absolute path of the discovery document (for <see cref="RequestCount"/>).</summary>
    public string DiscoveryPath { get; }

    /// <summary>Absolute path of the JWKS (for <see cref="RequestCount"/>).</summary>
    public string JwksPath { get; }

    public string DiscoveryUrl => Issuer + DiscoverySuffix;

    public string JwksUrl => Issuer + JwksSuffix;

    /// <summary>Whether the issuer serves HTTPS.</summary>
    public bool UsesHttps => _authority is not null;

    /// <summary>The CA that signed the serving certificate, as PEM; null over plain http.</summary>
    public string? CertificateAuthorityPem => _authority?.CertificatePem;

    /// <summary>The CA certificate; null over plain http.</summary>
    public X509Certificate2? CertificateAuthority => _authority?.Certificate;

    /// <summary>Keys currently in the JWKS, in publication order.</summary>
    public IReadOnlyList<TestSigningKey> PublishedKeys
    {
        get
        {
            lock (_lock)
            {
                return [.. _published];
            }
        }
    }

    /// <summary>Status of the discovery endpoint.</summary>
    public TestOidcFault DiscoveryFault
    {
        get => Read(ref _discoveryFault);
        set => Write(ref _discoveryFault, value);
    }

    /// <summary>Status of the JWKS endpoint.</summary>
    public TestOidcFault JwksFault
    {
        get => Read(ref _jwksFault);
        set => Write(ref _jwksFault, value);
    }

    /// <summary>The <c>issuer</c> the discovery document claims (null: the real <see cref="Issuer"/>), to simulate a mismatch.</summary>
    public string? DiscoveryIssuerOverride
    {
        get => Read(ref _discoveryIssuerOverride);
        set => Write(ref _discoveryIssuerOverride, value);
    }

    /// <summary>The <c>jwks_uri</c> the discovery document names (null: <see cref="JwksUrl"/>).</summary>
    public string? JwksUriOverride
    {
        get => Read(ref _jwksUriOverride);
        set => Write(ref _jwksUriOverride, value);
    }

    /// <summary>A raw body served as the discovery document instead of the generated one.</summary>
    public string? DiscoveryResponseOverride
    {
        get => Read(ref _discoveryResponseOverride);
        set => Write(ref _discoveryResponseOverride, value);
    }

    /// <summary>A raw body served as the JWKS instead of the generated one (e.g. <c>{"keys":[]}</c>).</summary>
    public string? JwksResponseOverride
    {
        get => Read(ref _jwksResponseOverride);
        set => Write(ref _jwksResponseOverride, value);
    }

    public int DiscoveryRequestCount => RequestCount(DiscoveryPath);

    public int JwksRequestCount => RequestCount(JwksPath);

    /// <summary>Starts an issuer on a free loopback port with one published key per configured algorithm.</summary>
    public static async Task<TestOidcIssuer> StartAsync(TestOidcIssuerOptions? options, CancellationToken cancellationToken)
    {
        options ??= new TestOidcIssuerOptions();
        if (options.Algorithms.Count == 0)
        {
            throw new ArgumentException("at least one algorithm is needed", nameof(options));
        }

        var pathPrefix = options.PathPrefix.Trim('/') is { Length: > 0 } trimmed ? "/" + trimmed : "";
        var authority = options.UseHttps ? FakeCertificateAuthority.Create() : null;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, 0, listen =>
            {
                if (authority is not null)
                {
                    listen.UseHttps(authority.ServerCertificate);
                }
            });
        });
        var app = builder.Build();
        var shutdown = new CancellationTokenSource();
        TestOidcIssuer? issuer = null;
        app.Run(context => issuer!.HandleAsync(context));
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(address).Port;
        var scheme = authority is null ? "http" : "https";
        issuer = new TestOidcIssuer(app, authority, options, shutdown, new Uri($"{scheme}://127.0.0.1:{port}/"), pathPrefix);
        foreach (var algorithm in options.Algorithms)
        {
            issuer.AddKey(algorithm);
        }

        return issuer;
    }

    /// <summary>A handler that trusts this issuer's CA only (custom root trust; host name still checked).</summary>
    public HttpMessageHandler CreateHttpMessageHandler()
    {
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(1) };
        if (_authority is not null)
        {
            var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
            policy.CustomTrustStore.Add(_authority.Certificate);
            handler.SslOptions.CertificateChainPolicy = policy;
        }

        return handler;
    }

    /// <summary>An <see cref="HttpClient"/> over <see cref="CreateHttpMessageHandler"/>, based at <see cref="BaseAddress"/>.</summary>
    public HttpClient CreateHttpClient() => new(CreateHttpMessageHandler()) { BaseAddress = BaseAddress };

    /// <summary>The key tokens for <paramref name="algorithm"/> are signed with by default.</summary>
    public TestSigningKey GetCurrentKey(string algorithm)
    {
        lock (_lock)
        {
            return _current.TryGetValue(algorithm, out var key)
                ? key
                : throw new InvalidOperationException($"the issuer publishes no {algorithm} key");
        }
    }

    /// <summary>Creates and publishes a key for <paramref name="algorithm"/>; it becomes the current key for that algorithm.</summary>
    public TestSigningKey AddKey(string algorithm)
    {
        var key = TestSigningKey.Create(algorithm);
        lock (_lock)
        {
            _owned.Add(key);
            _published.Add(key);
            _current[algorithm] = key;
        }

        return key;
    }

    /// <summary>
    /// Key rotation: a new key for every configured algorithm is published and becomes current; the old keys stay in
    /// the JWKS until <see cref="RemoveKey"/>.
    /// </summary>
    public IReadOnlyList<TestSigningKey> RotateKeys() => [.. _options.Algorithms.Select(AddKey)];

    /// <summary>
    /// Stops publishing a key. If it was current, the newest remaining key of its algorithm becomes current. The key
    /// stays usable through <see cref="TestTokenOptions.Key"/> (a token signed by a retired key).
    /// </summary>
    public bool RemoveKey(string keyId)
    {
        lock (_lock)
        {
            var key = _published.Find(k => k.KeyId == keyId);
            if (key is null)
            {
                return false;
            }

            _published.Remove(key);
            if (_current.TryGetValue(key.Algorithm, out var current) && current == key)
            {
                _current.Remove(key.Algorithm);
                if (_published.FindLast(k => k.Algorithm == key.Algorithm) is { } newest)
                {
                    _current[key.Algorithm] = newest;
                }
            }

            return true;
        }
    }

    /// <summary>
    /// Mints a compact JWS. By default: <c>iss</c> this issuer, <c>sub</c> <c>test-subject</c>, <c>aud</c>
    /// <c>buildkit</c>, valid from now for five minutes, RS256 with the current key.
    /// </summary>
    public string CreateToken(TestTokenOptions? options = null)
    {
        options ??= new TestTokenOptions();
        var algorithm = options.Algorithm ?? options.Key?.Algorithm ?? _options.Algorithms[0];
        var key = options.Key;
        if (key is null && !string.Equals(algorithm, "none", StringComparison.OrdinalIgnoreCase))
        {
            key = GetCurrentKey(algorithm);
        }

        return TestJwtWriter.Write(options with { Algorithm = algorithm }, key, Issuer, _options.TimeProvider, _options.DefaultTokenLifetime);
    }

    /// <summary>Requests that reached <paramref name="path"/> (an absolute path such as <see cref="JwksPath"/>), faulted ones included.</summary>
    public int RequestCount(string path)
    {
        lock (_lock)
        {
            return _requests.GetValueOrDefault(path);
        }
    }

    /// <summary>Completes once <paramref name="path"/> has received at least <paramref name="count"/> requests.</summary>
    public Task WaitForRequestCountAsync(string path, int count, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_requests.GetValueOrDefault(path) >= count)
            {
                return Task.CompletedTask;
            }

            var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((path, count, signal));
            return signal.Task.WaitAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _shutdown.CancelAsync();
        using (var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            try
            {
                await _app.StopAsync(stop.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }

        await _app.DisposeAsync();
        lock (_lock)
        {
            foreach (var key in _owned)
            {
                key.Dispose();
            }
        }

        _authority?.Dispose();
        _shutdown.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        CountRequest(path);
        var (fault, body) = path == DiscoveryPath ? (DiscoveryFault, DiscoveryResponseOverride)
            : path == JwksPath ? (JwksFault, JwksResponseOverride)
            : (TestOidcFault.NotFound, null);
        if (!HttpMethods.IsGet(context.Request.Method) && fault == TestOidcFault.None)
        {
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return;
        }

        switch (fault)
        {
            case TestOidcFault.None:
                var json = body is not null ? Encoding.UTF8.GetBytes(body) : path == DiscoveryPath ? WriteDiscovery() : WriteJwks();
                await WriteAsync(context, StatusCodes.Status200OK, "application/json", json);
                break;
            case TestOidcFault.ServerError:
                await WriteAsync(context, StatusCodes.Status500InternalServerError, "text/plain", "internal error (injected)"u8.ToArray());
                break;
            case TestOidcFault.NotFound:
                await WriteAsync(context, StatusCodes.Status404NotFound, "text/plain", "not found"u8.ToArray());
                break;
            case TestOidcFault.InvalidJson:
                await WriteAsync(context, StatusCodes.Status200OK, "application/json", "{\"issuer\": <not json"u8.ToArray());
                break;
            case TestOidcFault.Oversized:
                await WriteOversizedAsync(context);
                break;
            case TestOidcFault.Abort:
                context.Abort();
                break;
            case TestOidcFault.Hang:
                using (var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _shutdown.Token))
                {
                    try
                    {
                        await Task.Delay(Timeout.InfiniteTimeSpan, linked.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        context.Abort();
                    }
                }

                break;
        }
    }

    private static async Task WriteAsync(HttpContext context, int status, string contentType, byte[] body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted);
    }

    private static async Task WriteOversizedAsync(HttpContext context)
    {
        const int Size = 2 * 1024 * 1024;
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        var chunk = new byte[64 * 1024];
        Array.Fill(chunk, (byte)'x');
        await context.Response.Body.WriteAsync("{\"padding\":\""u8.ToArray(), context.RequestAborted);
        for (var written = 0; written < Size; written += chunk.Length)
        {
            await context.Response.Body.WriteAsync(chunk, context.RequestAborted);
        }

        await context.Response.Body.WriteAsync("\"}"u8.ToArray(), context.RequestAborted);
    }

    private byte[] WriteDiscovery()
    {
        string[] algorithms;
        lock (_lock)
        {
            algorithms = [.. _published.Select(k => k.Algorithm).Distinct()];
        }

        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("issuer", DiscoveryIssuerOverride ?? Issuer);
            writer.WriteString("jwks_uri", JwksUriOverride ?? JwksUrl);
            writer.WriteString("authorization_endpoint", Issuer + "/authorize");
            writer.WriteString("token_endpoint", Issuer + "/token");
            WriteArray(writer, "response_types_supported", ["id_token"]);
            WriteArray(writer, "subject_types_supported", ["public"]);
            WriteArray(writer, "id_token_signing_alg_values_supported", algorithms.Length > 0 ? algorithms : [.. _options.Algorithms]);
            WriteArray(writer, "scopes_supported", ["openid"]);
            WriteArray(writer, "claims_supported", ["sub", "aud", "iss", "exp", "iat", "nbf", "jti"]);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private byte[] WriteJwks()
    {
        var keys = PublishedKeys;
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("keys");
            foreach (var key in keys)
            {
                key.WritePublicJwk(writer);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteArray(Utf8JsonWriter writer, string name, IEnumerable<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }

    private void CountRequest(string path)
    {
        lock (_lock)
        {
            var count = _requests[path] = _requests.GetValueOrDefault(path) + 1;
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Path == path && count >= _waiters[i].Count)
                {
                    _waiters[i].Signal.TrySetResult();
                    _waiters.RemoveAt(i);
                }
            }
        }
    }

    private T Read<T>(ref T field)
    {
        lock (_lock)
        {
            return field;
        }
    }

    private void Write<T>(ref T field, T value)
    {
        lock (_lock)
        {
            field = value;
        }
    }
}
