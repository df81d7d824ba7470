using BuildKitController.Kubernetes.Runtime.Controllers;

namespace BuildKitController.Operator.Oidc;

/// <summary>Settings of the BuildKitOIDCConfig controller.</summary>
internal sealed record OidcConfigControllerOptions
{
    /// <summary>The namespace whose configs are watched; null for all namespaces.</summary>
    public string? Namespace { get; init; }

    /// <summary>A verified issuer is checked again this often (keys rotate, issuers move).</summary>
    public TimeSpan RecheckInterval { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>After a failed check the next one comes this much later, doubling per consecutive failure up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan InitialRetryDelay { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Deadline of each discovery or JWKS request (connect, headers and body).</summary>
    public TimeSpan HttpTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Largest discovery or JWKS body accepted.</summary>
    public long MaxResponseBytes { get; init; } = 1024 * 1024;

    /// <summary>Workers and reconcile timeout of the controller loop.</summary>
    public ControllerOptions? Controller { get; init; }

    /// <summary>The delay before the next check after <paramref name="failures"/> consecutive failures (1 → <see cref="InitialRetryDelay"/>).</summary>
    public TimeSpan RetryDelay(int failures)
    {
        var delay = InitialRetryDelay;
        for (var i = 1; i < failures && delay < MaxRetryDelay; i++)
        {
            delay *= 2;
        }

        return delay < MaxRetryDelay ? delay : MaxRetryDelay;
    }
}
