namespace BuildKitController.Operator.Api;

/// <summary>Limits and defaults of the allocation API.</summary>
internal sealed record ApiOptions
{
    /// <summary>Largest accepted request body.</summary>
    public long MaxRequestBodyBytes { get; init; } = 64 * 1024;

    /// <summary>Lifetime of identity certificates from <c>/certs/request</c> when none is asked (<c>CERT_DEFAULT_CLIENT_DURATION</c>).</summary>
    public TimeSpan DefaultClientCertificateDuration { get; init; } = TimeSpan.FromHours(24);

    /// <summary>Longest identity certificate <c>/certs/request</c> issues.</summary>
    public TimeSpan MaxClientCertificateDuration { get; init; } = TimeSpan.FromDays(30);

    /// <summary>Namespace assumed when a request names none (upstream: <c>default</c>).</summary>
    public string DefaultNamespace { get; init; } = "default";

    /// <summary>Namespace and name of the root CA Secret.</summary>
    public string ControllerNamespace { get; init; } = "buildkit-system";

    public string RootCaSecretName { get; init; } = "buildkit-ca";
}
