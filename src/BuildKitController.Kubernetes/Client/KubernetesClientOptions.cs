namespace BuildKitController.Kubernetes.Client;

/// <summary>Client behaviour: identity, throttling, timeouts and retries (bind with the options pattern).</summary>
public sealed class KubernetesClientOptions
{
    /// <summary>Sent as <c>User-Agent</c>; the API server derives default field-manager names and audit entries from it.</summary>
    public string UserAgent { get; set; } = "buildkit-controller/0.1";

    /// <summary>Sustained client-side request rate (token bucket refill). Zero or less disables the limiter.</summary>
    public double QueriesPerSecond { get; set; } = 50;

    /// <summary>Token bucket size: how many requests may go at once after a quiet period.</summary>
    public int Burst { get; set; } = 100;

    /// <summary>Deadline of one attempt of a non-streaming request (headers and body).</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Attempts after the first one for retryable failures.</summary>
    public int MaxRetries { get; set; } = 5;

    /// <summary>First backoff delay; doubles per attempt, with full jitter, up to <see cref="RetryMaxDelay"/>.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Upper bound on a server-sent <c>Retry-After</c>, so a bad header cannot park a request for hours.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Server-side watch timeout range (<c>timeoutSeconds</c>), randomised like client-go to spread reconnects.</summary>
    public TimeSpan MinWatchTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>A watch that receives nothing (no event, no bookmark) for its timeout plus this margin is considered dead.</summary>
    public TimeSpan WatchInactivityMargin { get; set; } = TimeSpan.FromSeconds(30);
}
