using System.Globalization;

namespace BuildKitController.Operator.Auth;

/// <summary>Settings of API authentication and authorization (the rules are described in <c>Auth/README.md</c>).</summary>
internal sealed record AuthOptions
{
    /// <summary>Signature algorithms the OIDC verifier implements (and the default allow-list).</summary>
    public static IReadOnlyList<string> SupportedAlgorithms { get; } = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384"];

    /// <summary>
    /// The controller's namespace: BuildKitOIDCConfigs here are trusted; elsewhere only with
    /// <see cref="TrustOidcConfigsFromAllNamespaces"/>.
    /// </summary>
    public string ControllerNamespace { get; init; } = "buildkit-system";

    /// <summary>
    /// <c>spec.audiences</c> of TokenReviews. Empty (the default) accepts tokens for the API server's own audience
    /// (what <c>kubectl create token</c> and default projected tokens carry); a dedicated audience such as
    /// <c>buildkit-controller</c> is safer (a token for the controller cannot be replayed against the API server)
    /// and then clients must request it (<c>kubectl create token --audience buildkit-controller</c>).
    /// </summary>
    public IReadOnlyList<string> TokenReviewAudiences { get; init; } = [];

    /// <summary>
    /// Trust enabled BuildKitOIDCConfigs of every namespace, cluster-wide (upstream's behaviour). Off by default:
    /// whoever can create a config could then mint any identity.
    /// </summary>
    public bool TrustOidcConfigsFromAllNamespaces { get; init; }

    /// <summary>Tolerance for <c>exp</c>, <c>nbf</c> and <c>iat</c> (clock differences between issuer and controller).</summary>
    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>JWS algorithms accepted in OIDC tokens; a subset of <see cref="SupportedAlgorithms"/>. <c>none</c> and HMAC never are.</summary>
    public IReadOnlyList<string> AllowedAlgorithms { get; init; } = SupportedAlgorithms;

    /// <summary>Kubernetes user patterns (<c>*</c>, <c>prefix*</c>, exact) that are API admins. OIDC identities are never admins.</summary>
    public IReadOnlyList<string> AdminUsers { get; init; } = [];

    /// <summary>Kubernetes groups whose members are API admins.</summary>
    public IReadOnlyList<string> AdminGroups { get; init; } = ["system:masters"];

    /// <summary>
    /// The gateway of pool <c>p</c> in namespace <c>ns</c> is the Kubernetes user
    /// <c>system:serviceaccount:ns:p</c> + this suffix (ServiceAccount <c>&lt;pool&gt;-gateway</c>); it alone (and
    /// admins, and <see cref="GatewayUsers"/>) may look up that pool's allocation tokens.
    /// </summary>
    public string GatewayServiceAccountSuffix { get; init; } = "-gateway";

    /// <summary>Further Kubernetes users (exact names) allowed to look up tokens of every pool, e.g. a shared gateway identity.</summary>
    public IReadOnlyList<string> GatewayUsers { get; init; } = [];

    /// <summary>
    /// Ask the API server a SubjectAccessReview on the virtual resource <c>buildkitpools/&lt;verb&gt;</c> for
    /// Kubernetes callers, so cluster RBAC can grant pool access (in addition to pool rules).
    /// </summary>
    public bool UseSubjectAccessReview { get; init; }

    /// <summary>Dev mode: no authentication or authorization; every request is the admin <c>dev-user</c>. Logged loudly.</summary>
    public bool DevMode { get; init; }

    /// <summary>After a failed discovery or JWKS load, the issuer is not asked again for this long (tokens fail fast).</summary>
    public TimeSpan DiscoveryNegativeCacheTtl { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A token with an unknown <c>kid</c> refreshes the JWKS at most this often per issuer.</summary>
    public TimeSpan JwksRefreshMinInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Discovery and JWKS are reloaded when older than this, so removed (revoked) keys stop verifying.</summary>
    public TimeSpan JwksMaxAge { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Deadline of each discovery or JWKS request.</summary>
    public TimeSpan HttpTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Largest discovery or JWKS body accepted.</summary>
    public long MaxResponseBytes { get; init; } = 1024 * 1024;

    /// <summary>Bearer tokens longer than this are refused without further work.</summary>
    public int MaxTokenBytes { get; init; } = 16 * 1024;

    /// <summary>
    /// A positive TokenReview answer is reused for this long (keyed by the token's SHA-256; the token itself is
    /// never stored), bounding API server load. A revoked token may therefore work for up to this long. Zero turns
    /// the cache off.
    /// </summary>
    public TimeSpan TokenReviewCacheTtl { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>SubjectAccessReview answers (allowed and denied) are reused for this long. Zero turns the cache off.</summary>
    public TimeSpan SubjectAccessReviewCacheTtl { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Entries per answer cache (TokenReview, SubjectAccessReview); when full, new answers are not cached.</summary>
    public int MaxCacheEntries { get; init; } = 10_000;

    /// <summary>Problems with these settings, one sentence each; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrEmpty(ControllerNamespace))
        {
            errors.Add("the controller namespace is required");
        }

        if (AllowedAlgorithms.Count == 0)
        {
            errors.Add("at least one OIDC signature algorithm must be allowed");
        }

        foreach (var algorithm in AllowedAlgorithms)
        {
            if (!SupportedAlgorithms.Contains(algorithm, StringComparer.Ordinal))
            {
                errors.Add($"OIDC signature algorithm \"{algorithm}\" is not supported; use {string.Join(", ", SupportedAlgorithms)}");
            }
        }

        if (ClockSkew < TimeSpan.Zero || ClockSkew > TimeSpan.FromMinutes(5))
        {
            errors.Add($"clock skew must be between 0s and 5m, got {ClockSkew.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s");
        }

        if (TokenReviewAudiences.Any(string.IsNullOrEmpty))
        {
            errors.Add("TokenReview audiences must not be empty strings");
        }

        if (string.IsNullOrEmpty(GatewayServiceAccountSuffix))
        {
            errors.Add("the gateway ServiceAccount suffix is required");
        }

        if (MaxTokenBytes <= 0 || MaxResponseBytes <= 0 || MaxCacheEntries < 0)
        {
            errors.Add("size limits must be positive");
        }

        if (HttpTimeout <= TimeSpan.Zero || DiscoveryNegativeCacheTtl < TimeSpan.Zero || JwksRefreshMinInterval < TimeSpan.Zero
            || JwksMaxAge <= TimeSpan.Zero || TokenReviewCacheTtl < TimeSpan.Zero || SubjectAccessReviewCacheTtl < TimeSpan.Zero)
        {
            errors.Add("durations must not be negative (and the HTTP timeout and JWKS max age must be positive)");
        }

        return errors;
    }
}
