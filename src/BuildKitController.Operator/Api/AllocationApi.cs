using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using BuildKitController.Core.Api.V1Alpha1;
using BuildKitController.Core.Pki;
using BuildKitController.Core.Time;
using BuildKitController.Operator.Allocation;
using BuildKitController.Operator.Auth;
using BuildKitController.Operator.Pki;
using Microsoft.AspNetCore.Http.Features;

namespace BuildKitController.Operator.Api;

/// <summary>
/// The HTTP allocation API (upstream §4 paths and JSON keys). Every endpoint but health authenticates and authorizes;
/// errors are JSON <c>{"error":{"code","message","requestId"}}</c> with stable codes; allocate, renew and release write
/// an audit line. Handlers are raw request delegates over source-generated JSON (AOT-clean).
/// </summary>
internal sealed class AllocationApi(
    AllocationService allocations,
    AsyncAllocations pending,
    ICallerAuthenticator authenticator,
    IPoolAuthorizer authorizer,
    AllocationCaches caches,
    ApiOptions options,
    TimeProvider time,
    ILogger logger)
{
    public const string RequestIdHeader = "X-Request-Id";

    /// <summary>Routes the request; unknown paths 404, wrong methods 405, all as JSON errors.</summary>
    public async Task HandleAsync(HttpContext context)
    {
        var started = time.GetTimestamp();
        var requestId = RequestId(context);
        context.Response.Headers[RequestIdHeader] = requestId;
        var path = context.Request.Path.Value ?? "";
        var method = context.Request.Method;
        var route = "unknown";
        try
        {
            (route, var handler) = Route(path, method);
            await handler(context, requestId, context.RequestAborted);
        }
        catch (AllocationException ex)
        {
            await WriteErrorAsync(context, ex.Status, ex.Code, ex.Message, ex.RetryAfter, requestId);
        }
        catch (BadHttpRequestException ex)
        {
            await WriteErrorAsync(context, ex.StatusCode, ex.StatusCode == 413 ? "body_too_large" : "invalid_request", ex.StatusCode == 413 ? $"the request body exceeds {options.MaxRequestBodyBytes} bytes" : "malformed request", null, requestId);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away.
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            ApiLog.Failed(logger, ex, method, path, requestId);
            await WriteErrorAsync(context, 500, "internal", "internal error; see the controller log for the request id", null, requestId);
        }
        finally
        {
            ApiMetrics.Record(route, method, context.Response.StatusCode, time.GetElapsedTime(started));
        }
    }

    private (string Route, Func<HttpContext, string, CancellationToken, Task> Handler) Route(string path, string method)
    {
        const string Prefix = "/api/v1/";
        if (path == "/api/v1/health")
        {
            return ("/api/v1/health", (c, _, _) => WriteTextAsync(c, "OK"));
        }

        if (path == "/api/v1/openapi.yaml")
        {
            return HttpMethods.IsGet(method) ? (path, (c, _, ct) => WriteOpenApiAsync(c, ct)) : throw MethodNotAllowed("GET");
        }

        (string, Func<HttpContext, string, CancellationToken, Task>) Post(string route, Func<HttpContext, string, CancellationToken, Task> handler) =>
            HttpMethods.IsPost(method) ? (route, handler) : throw MethodNotAllowed("POST");
        (string, Func<HttpContext, string, CancellationToken, Task>) Get(string route, Func<HttpContext, string, CancellationToken, Task> handler) =>
            HttpMethods.IsGet(method) ? (route, handler) : throw MethodNotAllowed("GET");

        switch (path)
        {
            case "/api/v1/workers/allocate":
                return Post(path, AllocateAsync);
            case "/api/v1/workers/release":
                return Post(path, ReleaseAsync);
            case "/api/v1/workers/renew":
                return Post(path, RenewAsync);
            case "/api/v1/workers/lookup":
                return Post(path, LookupAsync);
            case "/api/v1/pools":
                return Get(path, ListPoolsAsync);
            case "/api/v1/certs/request":
                return Post(path, RequestCertificateAsync);
            case "/api/v1/allocate":
                return Post(path, LegacyAllocateAsync);
        }

        if (path.StartsWith(Prefix + "allocations/", StringComparison.Ordinal) && path[(Prefix.Length + "allocations/".Length)..] is { Length: > 0 and <= 64 } id && !id.Contains('/', StringComparison.Ordinal))
        {
            return HttpMethods.IsGet(method) || HttpMethods.IsPost(method)
                ? ("/api/v1/allocations/{id}", (c, requestId, ct) => PollAsync(c, id, requestId, ct))
                : throw MethodNotAllowed("GET, POST");
        }

        if (path.StartsWith(Prefix + "pools/", StringComparison.Ordinal))
        {
            var rest = path[(Prefix.Length + "pools/".Length)..];
            var parts = rest.Split('/');
            if (parts.Length == 1 && parts[0].Length > 0)
            {
                return Get("/api/v1/pools/{name}", (c, id, ct) => GetPoolAsync(c, parts[0], id, ct));
            }

            if (parts.Length == 2 && parts[0].Length > 0 && parts[1] == "wake")
            {
                return Post("/api/v1/pools/{name}/wake", (c, id, ct) => WakeAsync(c, parts[0], id, ct));
            }
        }

        throw AllocationErrors.Missing("not_found", $"no such endpoint: {Truncate(path, 100)}");
    }

    private async Task AllocateAsync(HttpContext context, string requestId, CancellationToken cancellationToken)
    {
        var body = await ReadAsync(context, ApiJsonContext.Default.AllocateRequest, cancellationToken);
        if (string.IsNullOrWhiteSpace(body.PoolName))
        {
            throw AllocationErrors.BadRequest("poolName is required");
        }

        var ns = NamespaceOf(body.Namespace);
        var (caller, pool) = await AuthorizeAsync(context, ns, body.PoolName, PoolVerbs.Allocate, cancellationToken);
        var request = new AllocationRequest(ns, pool.Metadata.Name!, caller.QualifiedName, body.Ttl, body.JobId, body.Metadata, body.Csr);
        if (body.Wait == false)
        {
            var (id, position) = pending.Start(request);
            ApiLog.Audit(logger, "allocate-async", ns, pool.Metadata.Name!, "-", caller.QualifiedName, caller.Source, body.JobId ?? "", null, requestId);
            context.Response.Headers.Location = $"/api/v1/allocations/{id}";
            await WriteJsonAsync(context, 202, new AllocationPending(id, "pending", position), ApiJsonContext.Default.AllocationPending);
            return;
        }

        var grant = await allocations.AllocateAsync(request, cancellationToken);
        ApiLog.Audit(logger, "allocate", ns, grant.PoolName, grant.WorkerName, caller.QualifiedName, caller.Source, body.JobId ?? "", grant.ExpiresAt, requestId);
        await WriteJsonAsync(context, 200, ToResponse(grant), ApiJsonContext.Default.AllocateResponse);
    }

    /// <summary>Polls an asynchronous allocation: 202 while it waits, 200 with fresh credentials once ready.</summary>
    private async Task PollAsync(HttpContext context, string id, string requestId, CancellationToken cancellationToken)
    {
        var body = HttpMethods.IsPost(context.Request.Method) && (context.Request.ContentLength is > 0 || context.Request.Headers.TransferEncoding.Count > 0)
            ? await ReadAsync(context, ApiJsonContext.Default.PollRequest, cancellationToken)
            : new PollRequest();
        var owner = pending.Owner(id);
        CallerIdentity caller;
        if (owner is { } known)
        {
            (caller, _) = await AuthorizeAsync(context, known.Namespace, known.Pool, PoolVerbs.Allocate, cancellationToken);
        }
        else
        {
            caller = await AuthenticateAsync(context, null, cancellationToken);
        }

        var (grant, position) = await pending.PollAsync(id, caller.QualifiedName, caller.IsAdmin, body.Csr, cancellationToken);
        if (grant is null)
        {
            await WriteJsonAsync(context, 202, new AllocationPending(id, "pending", position), ApiJsonContext.Default.AllocationPending);
            return;
        }

        ApiLog.Audit(logger, "allocate", grant.Namespace, grant.PoolName, grant.WorkerName, caller.QualifiedName, caller.Source, "", grant.ExpiresAt, requestId);
        await WriteJsonAsync(context, 200, ToResponse(grant), ApiJsonContext.Default.AllocateResponse);
    }

    private async Task RenewAsync(HttpContext context, string requestId, CancellationToken cancellationToken)
    {
        var body = await ReadAsync(context, ApiJsonContext.Default.TokenRequest, cancellationToken);
        var (caller, worker, _) = await AuthorizeTokenAsync(context, body.Token, PoolVerbs.Renew, cancellationToken);
        var grant = await allocations.RenewAsync(worker, body.Token!, body.Ttl, body.Csr, caller.QualifiedName, caller.IsAdmin, cancellationToken);
        ApiLog.Audit(logger, "renew", grant.Namespace, grant.PoolName, worker.Metadata.Name!, caller.QualifiedName, caller.Source, worker.Spec.Allocation?.JobId ?? "", grant.ExpiresAt, requestId);
        await WriteJsonAsync(context, 200, ToResponse(grant), ApiJsonContext.Default.AllocateResponse);
    }

    private async Task ReleaseAsync(HttpContext context, string requestId, CancellationToken cancellationToken)
    {
        var body = await ReadAsync(context, ApiJsonContext.Default.TokenRequest, cancellationToken);
        if (string.IsNullOrWhiteSpace(body.Token))
        {
            throw AllocationErrors.BadRequest("token is required");
        }

        if (await FindForCallerAsync(context, body.Token, cancellationToken) is not { } worker)
        {
            // Idempotent: an unknown, released or expired allocation is released. The caller must still be someone.
            await WriteJsonAsync(context, 200, new ReleaseResponse("released"), ApiJsonContext.Default.ReleaseResponse);
            return;
        }

        var (caller, _) = await AuthorizeAsync(context, worker.Metadata.Namespace!, worker.Spec.PoolRef.Name, PoolVerbs.Release, cancellationToken);
        await allocations.ReleaseAsync(worker, caller.QualifiedName, caller.IsAdmin, cancellationToken);
        ApiLog.Audit(logger, "release", worker.Metadata.Namespace!, worker.Spec.PoolRef.Name, worker.Metadata.Name!, caller.QualifiedName, caller.Source, worker.Spec.Allocation?.JobId ?? "", null, requestId);
        await WriteJsonAsync(context, 200, new ReleaseResponse("released"), ApiJsonContext.Default.ReleaseResponse);
    }

    private async Task LookupAsync(HttpContext context, string requestId, CancellationToken cancellationToken)
    {
        var body = await ReadAsync(context, ApiJsonContext.Default.TokenRequest, cancellationToken);
        var (_, worker, _) = await AuthorizeTokenAsync(context, body.Token, PoolVerbs.Lookup, cancellationToken);
        await WriteJsonAsync(context, 200, new LookupResponse(worker.Status?.Endpoint ?? "", worker.Metadata.Name!, worker.Spec.PoolRef.Name, worker.Metadata.Namespace!), ApiJsonContext.Default.LookupResponse);
    }

    private async Task ListPoolsAsync(HttpContext context, string requestId, CancellationToken cancellationToken)
    {
        var caller = await AuthenticateAsync(context, null, cancellationToken);
        var wanted = context.Request.Query["namespace"].ToString();
        var visible = new List<PoolSummary>();
        foreach (var pool in caches.Pools.List().OrderBy(p => p.Metadata.Namespace, StringComparer.Ordinal).ThenBy(p => p.Metadata.Name, StringComparer.Ordinal))
        {
            if (wanted.Length > 0 && pool.Metadata.Namespace != wanted)
            {
                continue;
            }

            var decision = await authorizer.AuthorizeAsync(caller, pool, PoolVerbs.List, cancellationToken);
            if (decision.Allowed)
            {
                visible.Add(new PoolSummary(pool.Metadata.Name!, pool.Metadata.Namespace!, AllocationService.GatewayEndpoint(pool), pool.Status?.Phase ?? "Unknown"));
            }
        }

        await WriteJsonAsync(context, 200, new PoolsResponse(visible), ApiJsonContext.Default.PoolsResponse);
    }

    private async Task GetPoolAsync(HttpContext context, string name, string requestId, CancellationToken cancellationToken)
    {
        var ns = NamespaceOf(context.Request.Query["namespace"].ToString());
        var (_, pool) = await AuthorizeAsync(context, ns, name, PoolVerbs.Get, cancellationToken);
        var status = pool.Status;
        await WriteJsonAsync(context, 200, new PoolResponse
        {
            Name = name,
            Namespace = ns,
            Endpoint = AllocationService.GatewayEndpoint(pool),
            Phase = status?.Phase ?? "Unknown",
            Ready = status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true,
            Workers = status?.Workers,
            Gateway = status?.Gateway,
            Queued = allocations.QueueLength(ns, name),
        }, ApiJsonContext.Default.PoolResponse);
    }

    private async Task WakeAsync(HttpContext context, string name, string requestId, CancellationToken cancellationToken)
    {
        var ns = NamespaceOf(context.Request.Query["namespace"].ToString());
        var (caller, pool) = await AuthorizeAsync(context, ns, name, PoolVerbs.Wake, cancellationToken);
        var ready = await allocations.WakeAsync(ns, name, cancellationToken);
        ApiLog.Audit(logger, "wake", ns, name, "-", caller.QualifiedName, caller.Source, "", null, requestId);
        await WriteJsonAsync(context, 200, new WakeResponse(AllocationService.GatewayEndpoint(pool), name, ready), ApiJsonContext.Default.WakeResponse);
    }

    /// <summary>
    /// An identity certificate (<c>CN=&lt;caller&gt;</c>, client authentication) from the root CA, for the pools the caller
    /// may use. It carries no allocation, so gateways and workers refuse it; it exists for compatibility.
    /// </summary>
    private async Task RequestCertificateAsync(HttpContext context, string requestId, CancellationToken cancellationToken)
    {
        var body = await ReadAsync(context, ApiJsonContext.Default.CertificateRequestBody, cancellationToken);
        if (body.Pools is not { Count: > 0 } pools || pools.Count > 64)
        {
            throw AllocationErrors.BadRequest("pools must list between 1 and 64 pool names (name or namespace/name)");
        }

        var duration = options.DefaultClientCertificateDuration;
        if (!string.IsNullOrEmpty(body.Duration) && (!GoDuration.TryParse(body.Duration, out duration) || duration <= TimeSpan.Zero))
        {
            throw AllocationErrors.BadRequest($"duration \"{Truncate(body.Duration, 32)}\" is not a positive Go duration");
        }

        duration = duration > options.MaxClientCertificateDuration ? options.MaxClientCertificateDuration : duration;
        var caller = await AuthenticateAsync(context, null, cancellationToken);
        var endpoints = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var reference in pools)
        {
            var (ns, name) = reference.Split('/') is [var n, var p] ? (n, p) : (options.DefaultNamespace, reference);
            var pool = caches.Pools.Get(ns, name) ?? throw AllocationErrors.Forbid($"pool {ns}/{name} not found or not allowed");
            var decision = await authorizer.AuthorizeAsync(caller, pool, PoolVerbs.Certificates, cancellationToken);
            if (!decision.Allowed)
            {
                throw decision.IsTransient ? new AllocationException(503, "authorization_unavailable", decision.Reason, TimeSpan.FromSeconds(5)) : AllocationErrors.Forbid($"pool {ns}/{name} not found or not allowed");
            }

            endpoints[reference] = AllocationService.GatewayEndpoint(pool);
        }

        var root = caches.RootCa.Get(options.ControllerNamespace, options.RootCaSecretName)?.Data is { } data
            && data.GetValueOrDefault(SecretKeys.CaCertificate) is { Length: > 0 } certificatePem
            && data.GetValueOrDefault(SecretKeys.CaKey) is { Length: > 0 } keyPem
                ? (Certificate: Encoding.ASCII.GetString(certificatePem), Key: Encoding.ASCII.GetString(keyPem))
                : throw new AllocationException(503, AllocationErrors.NotReady, "the cluster CA is not available yet", TimeSpan.FromSeconds(5));
        using var authority = CertificateAuthority.Load(root.Certificate, root.Key);
        var spec = new CertificateRequestSpec { CommonName = Truncate(caller.QualifiedName, 64), Organization = "BuildKit Client", Profile = CertificateProfile.Client, Lifetime = duration };
        IssuedCertificate issued;
        try
        {
            issued = body.Csr is null ? CertificateIssuer.Issue(authority, spec, time.GetUtcNow()) : CertificateIssuer.IssueForSigningRequest(authority, body.Csr, spec, time.GetUtcNow());
        }
        catch (PkiException ex)
        {
            throw AllocationErrors.BadRequest(ex.Message);
        }

        ApiLog.Audit(logger, "certificate", "-", string.Join(",", endpoints.Keys), "-", caller.QualifiedName, caller.Source, "", issued.NotAfter, requestId);
        await WriteJsonAsync(context, 200, new CertificateResponse(root.Certificate, issued.CertificatePem, issued.KeyPem ?? "", endpoints), ApiJsonContext.Default.CertificateResponse);
    }

    /// <summary>
    /// Upstream's pre-allocation endpoint. It now makes a real allocation and returns only what it issues; asking for
    /// the content of an existing Secret (<c>useExistingCerts</c>) is refused.
    /// </summary>
    private async Task LegacyAllocateAsync(HttpContext context, string requestId, CancellationToken cancellationToken)
    {
        var body = await ReadAsync(context, ApiJsonContext.Default.LegacyAllocateRequest, cancellationToken);
        if (body.UseExistingCerts == true || !string.IsNullOrEmpty(body.CertSecretName))
        {
            throw AllocationErrors.BadRequest("useExistingCerts/certSecretName are not supported: certificates are issued per allocation and never read from Secrets");
        }

        if (string.IsNullOrWhiteSpace(body.PoolName))
        {
            throw AllocationErrors.BadRequest("poolName is required");
        }

        var ns = NamespaceOf(body.Namespace);
        var (caller, pool) = await AuthorizeAsync(context, ns, body.PoolName, PoolVerbs.Allocate, cancellationToken);
        var grant = await allocations.AllocateAsync(new AllocationRequest(ns, pool.Metadata.Name!, caller.QualifiedName, body.Duration, body.JobId, body.Metadata), cancellationToken);
        ApiLog.Audit(logger, "allocate", ns, grant.PoolName, grant.WorkerName, caller.QualifiedName, caller.Source, body.JobId ?? "", grant.ExpiresAt, requestId);
        await WriteJsonAsync(context, 200, new LegacyAllocateResponse
        {
            Endpoint = grant.GatewayEndpoint,
            CaCert = Base64(grant.CaCertificatePem),
            ClientCert = Base64(grant.Certificate.CertificatePem),
            ClientKey = Base64(grant.Certificate.KeyPem ?? ""),
            PoolName = grant.PoolName,
            Ready = true,
            WorkerName = grant.WorkerName,
            AllocationToken = grant.Token,
        }, ApiJsonContext.Default.LegacyAllocateResponse);
    }

    private async Task<CallerIdentity> AuthenticateAsync(HttpContext context, BuildKitPool? pool, CancellationToken cancellationToken)
    {
        var result = await authenticator.AuthenticateAsync(context.Request.Headers.Authorization.ToString() is { Length: > 0 } header ? header : null, pool, cancellationToken);
        if (result.Identity is { } identity)
        {
            return identity;
        }

        context.Response.Headers.WWWAuthenticate = "Bearer";
        throw result.IsTransient
            ? new AllocationException(503, "authentication_unavailable", result.Error ?? "authentication is unavailable", TimeSpan.FromSeconds(5))
            : AllocationErrors.Unauthorized(result.Error ?? "authentication required");
    }

    /// <summary>Authenticates, then authorizes <paramref name="verb"/> on the pool. A pool the caller may not see is reported as not found.</summary>
    private async Task<(CallerIdentity Caller, BuildKitPool Pool)> AuthorizeAsync(HttpContext context, string ns, string name, string verb, CancellationToken cancellationToken)
    {
        var pool = caches.Pools.Get(ns, name);
        var caller = await AuthenticateAsync(context, pool, cancellationToken);
        if (pool is null)
        {
            throw AllocationErrors.Missing(AllocationErrors.PoolNotFound, $"pool {ns}/{Truncate(name, 63)} not found");
        }

        var decision = await authorizer.AuthorizeAsync(caller, pool, verb, cancellationToken);
        if (!decision.Allowed)
        {
            throw decision.IsTransient
                ? new AllocationException(503, "authorization_unavailable", decision.Reason, TimeSpan.FromSeconds(5))
                : AllocationErrors.Forbid(decision.Reason);
        }

        return (caller, pool);
    }

    private async Task<(CallerIdentity Caller, BuildKitWorker Worker, BuildKitPool Pool)> AuthorizeTokenAsync(HttpContext context, string? token, string verb, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(token))
        {
            throw AllocationErrors.BadRequest("token is required");
        }

        var worker = await FindForCallerAsync(context, token, cancellationToken)
            ?? throw AllocationErrors.Missing(AllocationErrors.NotFound, "allocation not found, released or expired");
        var (caller, pool) = await AuthorizeAsync(context, worker.Metadata.Namespace!, worker.Spec.PoolRef.Name, verb, cancellationToken);
        return (caller, worker, pool);
    }

    /// <summary>
    /// The worker holding <paramref name="token"/>: from the cache, or, when the cache does not know it, from the API
    /// server (an allocation newer than this replica's cache) once the caller has authenticated, so strangers never
    /// cause that read. Null when no live allocation holds the token.
    /// </summary>
    private async Task<BuildKitWorker?> FindForCallerAsync(HttpContext context, string token, CancellationToken cancellationToken)
    {
        if (allocations.Find(token) is { } cached)
        {
            return cached;
        }

        _ = await AuthenticateAsync(context, null, cancellationToken);
        return await allocations.FindLiveAsync(token, cancellationToken);
    }

    private string NamespaceOf(string? ns) => string.IsNullOrWhiteSpace(ns) ? options.DefaultNamespace : ns;

    private static async Task<T> ReadAsync<T>(HttpContext context, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
        where T : class
    {
        var contentType = context.Request.ContentType;
        if (contentType is not null && !contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            throw new AllocationException(415, "unsupported_media_type", "send application/json");
        }

        try
        {
            return await JsonSerializer.DeserializeAsync(context.Request.Body, typeInfo, cancellationToken)
                ?? throw AllocationErrors.BadRequest("the request body must be a JSON object");
        }
        catch (JsonException ex)
        {
            var where = ex.Path is { Length: > 0 } path ? $" at {path}" : "";
            throw AllocationErrors.BadRequest($"malformed JSON{where}: expected {typeof(T).Name.Replace("Request", "", StringComparison.Ordinal).ToLowerInvariant()} fields with the documented types");
        }
        catch (DecoderFallbackException)
        {
            throw AllocationErrors.BadRequest("the request body is not valid UTF-8");
        }
    }

    private static AllocateResponse ToResponse(AllocationGrant grant) => new()
    {
        WorkerName = grant.WorkerName,
        Token = grant.Token,
        Endpoint = grant.WorkerEndpoint,
        GatewayEndpoint = grant.GatewayEndpoint,
        ExpiresAt = grant.ExpiresAt,
        CaCert = Base64(grant.CaCertificatePem),
        ClientCert = Base64(grant.Certificate.CertificatePem),
        ClientKey = Base64(grant.Certificate.KeyPem ?? ""),
        PoolName = grant.PoolName,
        Namespace = grant.Namespace,
    };

    private static string Base64(string text) => text.Length == 0 ? "" : Convert.ToBase64String(Encoding.ASCII.GetBytes(text));

    private static AllocationException MethodNotAllowed(string allowed) => new(405, "method_not_allowed", $"use {allowed}");

    private static string RequestId(HttpContext context)
    {
        var given = context.Request.Headers[RequestIdHeader].ToString();
        return given.Length is > 0 and <= 64 && given.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')
            ? given
            : Activity.Current?.TraceId.ToString() ?? Guid.NewGuid().ToString("N");
    }

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];

    /// <summary>The OpenAPI document (<c>docs/api/openapi.yaml</c>, embedded at build time).</summary>
    private static async Task WriteOpenApiAsync(HttpContext context, CancellationToken cancellationToken)
    {
        await using var document = typeof(AllocationApi).Assembly.GetManifestResourceStream("openapi.yaml")
            ?? throw new AllocationException(404, "not_found", "the OpenAPI document is not built in");
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/yaml; charset=utf-8";
        await document.CopyToAsync(context.Response.Body, cancellationToken);
    }

    private static Task WriteTextAsync(HttpContext context, string text)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(text, context.RequestAborted);
    }

    private static async Task WriteJsonAsync<T>(HttpContext context, int status, T value, JsonTypeInfo<T> typeInfo)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        await JsonSerializer.SerializeAsync(context.Response.Body, value, typeInfo, context.RequestAborted);
    }

    private async Task WriteErrorAsync(HttpContext context, int status, string code, string message, TimeSpan? retryAfter, string requestId)
    {
        if (context.Response.HasStarted)
        {
            return;
        }

        if (status >= 500)
        {
            ApiLog.Refused(logger, context.Request.Method, context.Request.Path.Value ?? "", code, message, requestId);
        }

        if (retryAfter is { } delay)
        {
            context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(delay.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (status == 405)
        {
            context.Response.Headers.Allow = message.Replace("use ", "", StringComparison.Ordinal);
        }

        await WriteJsonAsync(context, status, new ErrorResponse(new ErrorBody(code, message, requestId)), ApiJsonContext.Default.ErrorResponse);
    }
}
