using System.Net;
using System.Net.Http.Headers;
using BuildKitController.Kubernetes.Configuration;
using BuildKitController.Kubernetes.Diagnostics;
using BuildKitController.Kubernetes.Errors;
using BuildKitController.Kubernetes.Http;
using BuildKitController.Kubernetes.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace BuildKitController.Kubernetes.Client;

/// <summary>
/// A thin Kubernetes REST client: authentication, client-side throttling, per-attempt timeouts, retries with
/// jittered backoff (honouring <c>Retry-After</c>), and typed errors decoded from <c>Status</c> bodies.
/// <see cref="For{T}"/> gives a typed client per resource. Thread-safe; share one per process.
/// </summary>
public sealed class KubernetesClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly TokenBucketRateLimiter _limiter;
    private readonly ILogger _logger;

    public KubernetesClient(
        KubernetesClientConfiguration configuration,
        KubernetesClientOptions? options = null,
        TimeProvider? timeProvider = null,
        ILogger<KubernetesClient>? logger = null)
        : this(configuration, options, timeProvider, logger, handler: null)
    {
    }

    internal KubernetesClient(
        KubernetesClientConfiguration configuration,
        KubernetesClientOptions? options,
        TimeProvider? timeProvider,
        ILogger? logger,
        HttpMessageHandler? handler)
    {
        Configuration = configuration;
        Options = options ?? new KubernetesClientOptions();
        TimeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        _limiter = new TokenBucketRateLimiter(Options.QueriesPerSecond, Options.Burst, TimeProvider);
        _http = new HttpClient(handler ?? KubernetesHttpHandlerFactory.Create(configuration), disposeHandler: true)
        {
            BaseAddress = configuration.Server,
            Timeout = Timeout.InfiniteTimeSpan,
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
        _http.DefaultRequestHeaders.UserAgent.TryParseAdd(Options.UserAgent);
        _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
    }

    public KubernetesClientConfiguration Configuration { get; }

    public KubernetesClientOptions Options { get; }

    public TimeProvider TimeProvider { get; }

    internal ILogger Logger => _logger;

    /// <summary>The typed client for a kind.</summary>
    public ResourceClient<T> For<T>()
        where T : class, IKubernetesResource<T> => new(this);

    /// <summary>
    /// Sends a request and returns the successful response with its headers read. Non-streaming responses are
    /// buffered within the attempt's deadline. Failures become typed <see cref="KubernetesApiException"/>s after
    /// the retries the request kind allows.
    /// </summary>
    public async Task<HttpResponseMessage> SendAsync(KubernetesRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var refreshedToken = false;
        var forceTokenRefresh = false;
        for (var attempt = 0; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await _limiter.WaitAsync(cancellationToken).ConfigureAwait(false);
            using var message = await CreateMessageAsync(request, forceTokenRefresh, cancellationToken).ConfigureAwait(false);
            forceTokenRefresh = false;

            using var attemptCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attemptCts.CancelAfter(Options.RequestTimeout);
            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, attemptCts.Token).ConfigureAwait(false);
                if (response.IsSuccessStatusCode && request.Kind != RequestKind.Watch)
                {
                    await response.Content.LoadIntoBufferAsync(attemptCts.Token).ConfigureAwait(false);
                }
            }
            catch (HttpRequestException ex) when (attempt < Options.MaxRetries && IsRetryable(ex, request.Kind))
            {
                await DelayRetryAsync(request, ex.HttpRequestError.ToString(), attempt, null, cancellationToken).ConfigureAwait(false);
                continue;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                if (attempt < Options.MaxRetries && request.Kind.IsIdempotent())
                {
                    await DelayRetryAsync(request, "timeout", attempt, null, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                throw new TimeoutException($"{request.Method} {request.PathAndQuery} did not complete within {Options.RequestTimeout}");
            }

            if (response.IsSuccessStatusCode)
            {
                return response;
            }

            KubernetesApiException error;
            using (response)
            {
                var body = await ReadErrorBodyAsync(response, cancellationToken).ConfigureAwait(false);
                var retryAfter = RetryAfter.Read(response.Headers, TimeProvider.GetUtcNow());
                error = KubernetesErrors.FromStatus(KubernetesErrors.ParseStatus(response.StatusCode, body), retryAfter);
            }

            if (error is KubernetesUnauthorizedException && !refreshedToken && Configuration.Token is { CanRefresh: true })
            {
                KubernetesClientLog.RefreshingToken(_logger);
                refreshedToken = true;
                forceTokenRefresh = true;
                continue;
            }

            if (attempt < Options.MaxRetries && ShouldRetry(error, request.Kind, out var serverDelay))
            {
                await DelayRetryAsync(request, $"{(int)error.StatusCode} {error.Reason}", attempt, serverDelay, cancellationToken).ConfigureAwait(false);
                continue;
            }

            throw error;
        }
    }

    public void Dispose() => _http.Dispose();

    private async Task<HttpRequestMessage> CreateMessageAsync(KubernetesRequest request, bool forceTokenRefresh, CancellationToken cancellationToken)
    {
        var message = new HttpRequestMessage(request.Method, request.PathAndQuery);
        if (request.Body is { } body)
        {
            message.Content = new ReadOnlyMemoryContent(body);
            message.Content.Headers.ContentType = new MediaTypeHeaderValue(request.ContentType ?? "application/json");
        }

        if (Configuration.Token is { } tokenSource)
        {
            var token = await tokenSource.GetTokenAsync(forceTokenRefresh, cancellationToken).ConfigureAwait(false);
            if (!string.IsNullOrEmpty(token))
            {
                message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }
        }

        return message;
    }

    /// <summary>
    /// 429 (API priority and fairness rejected it unexecuted) and any status with <c>Retry-After</c> are retried for
    /// every kind; other 5xx only for idempotent requests, because a write may have happened.
    /// </summary>
    private static bool ShouldRetry(KubernetesApiException error, RequestKind kind, out TimeSpan? serverDelay)
    {
        switch (error)
        {
            case KubernetesTooManyRequestsException throttled:
                serverDelay = throttled.RetryAfter;
                return true;
            case KubernetesServerException server when server.RetryAfter is not null:
                serverDelay = server.RetryAfter;
                return true;
            case KubernetesServerException when kind.IsIdempotent():
                serverDelay = null;
                return error.StatusCode is HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway
                    or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;
            default:
                serverDelay = null;
                return false;
        }
    }

    /// <summary>Connection failures before anything was sent are safe for any request; the rest only for idempotent ones.</summary>
    private static bool IsRetryable(HttpRequestException exception, RequestKind kind) =>
        exception.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError
        || kind.IsIdempotent();

    private async Task DelayRetryAsync(KubernetesRequest request, string reason, int attempt, TimeSpan? serverDelay, CancellationToken cancellationToken)
    {
        var delay = serverDelay is { } requested
            ? (requested > Options.MaxRetryAfter ? Options.MaxRetryAfter : requested)
            : Backoff.Compute(attempt, Options.RetryBaseDelay, Options.RetryMaxDelay);
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            var path = StripQuery(request.PathAndQuery);
            KubernetesClientLog.Retrying(_logger, request.Method.Method, path, reason, attempt + 1, delay);
        }

        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, TimeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<byte[]> ReadErrorBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            // Error bodies are small Status objects; cap what we read from a misbehaving proxy.
            var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            return bytes.Length > 1 << 20 ? bytes[..(1 << 20)] : bytes;
        }
        catch (HttpRequestException)
        {
            return [];
        }
        catch (IOException)
        {
            return [];
        }
    }

    private static string StripQuery(string pathAndQuery)
    {
        var index = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        return index < 0 ? pathAndQuery : pathAndQuery[..index];
    }
}
