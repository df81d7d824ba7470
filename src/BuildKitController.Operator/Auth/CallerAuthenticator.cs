using BuildKitController.Core.Api.V1Alpha1;
using BuildKitController.Kubernetes.Client;
using BuildKitController.Kubernetes.Runtime.Informers;
using BuildKitController.Operator.Auth.Jwt;
using BuildKitController.Operator.Auth.Kubernetes;
using BuildKitController.Operator.Auth.OpenIdConnect;
using BuildKitController.Operator.Oidc;
using Microsoft.Extensions.Logging.Abstractions;

namespace BuildKitController.Operator.Auth;

/// <summary>
/// API authentication. Bearer tokens only. A token is never trusted before its signature has been checked, by us
/// or by the API server:
/// <list type="number">
/// <item>a JWT whose (unverified) <c>iss</c> names a trusted OIDC issuer (<see cref="OidcTrustedIssuers"/>) is
/// verified against that issuer's keys and must pass; it never falls through to another method;</item>
/// <item>every other token goes to a Kubernetes TokenReview (<see cref="TokenReviewAuthenticator"/>): ServiceAccount
/// tokens, and whatever else the API server accepts.</item>
/// </list>
/// In dev mode (<see cref="AuthOptions.DevMode"/>) nothing is checked and every request is the admin
/// <c>dev-user</c>; the constructor logs that at Critical level.
/// </summary>
internal sealed class CallerAuthenticator : ICallerAuthenticator, IDisposable
{
    public const string DevUser = "dev-user";

    private static readonly CallerIdentity DevIdentity = new(DevUser, CallerMethods.Dev, [], null, null, new Dictionary<string, string>(), IsAdmin: true)
    {
        Source = "dev mode",
    };

    private readonly AuthOptions _options;
    private readonly HttpClient _http;
    private readonly OidcTrustedIssuers _issuers;
    private readonly OidcVerifierCache _verifiers;
    private readonly OidcAuthenticator _oidc;
    private readonly TokenReviewAuthenticator _tokenReview;

    /// <param name="client">The Kubernetes client for TokenReviews.</param>
    /// <param name="oidcConfigs">The BuildKitOIDCConfig informer cache (e.g. <c>OidcConfigController.Configs</c>);
    /// only configs in <see cref="AuthOptions.ControllerNamespace"/> are used unless
    /// <see cref="AuthOptions.TrustOidcConfigsFromAllNamespaces"/>.</param>
    /// <param name="options">Settings; must be valid (<see cref="AuthOptions.Validate"/>).</param>
    /// <param name="time">Clock of token times and caches.</param>
    /// <param name="httpHandler">Handler for discovery and JWKS requests (not disposed here); null uses a default
    /// handler that trusts the system roots.</param>
    /// <param name="metrics">Where verifications are counted; null counts nothing.</param>
    /// <param name="loggers">Loggers; null logs nothing.</param>
    public CallerAuthenticator(KubernetesClient client, ObjectCache<BuildKitOIDCConfig> oidcConfigs, AuthOptions options, TimeProvider time,
        HttpMessageHandler? httpHandler = null, AuthMetrics? metrics = null, ILoggerFactory? loggers = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(oidcConfigs);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        if (options.Validate() is { Count: > 0 } errors)
        {
            throw new ArgumentException($"invalid auth options: {string.Join("; ", errors)}", nameof(options));
        }

        _options = options;
        var logger = loggers?.CreateLogger("auth") ?? (ILogger)NullLogger.Instance;
        _http = httpHandler is null
            ? new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), AllowAutoRedirect = false }, disposeHandler: true)
            : new HttpClient(httpHandler, disposeHandler: false);
        _http.Timeout = Timeout.InfiniteTimeSpan;
        _issuers = new OidcTrustedIssuers(oidcConfigs, options, logger);
        _verifiers = new OidcVerifierCache(new OidcDocumentFetcher(_http, options.HttpTimeout, options.MaxResponseBytes), options, time, logger);
        _oidc = new OidcAuthenticator(_verifiers, metrics, logger);
        _tokenReview = new TokenReviewAuthenticator(client, options, time, metrics, logger);
        if (options.DevMode)
        {
            AuthLog.DevModeEnabled(logger);
        }

        if (options.TrustOidcConfigsFromAllNamespaces)
        {
            AuthLog.AllNamespacesTrusted(logger);
        }
    }

    /// <summary>Cached (issuer, audience) verifiers (for tests and diagnostics).</summary>
    internal int CachedVerifierCount => _verifiers.Count;

    public async Task<AuthenticationResult> AuthenticateAsync(string? authorization, BuildKitPool? pool, CancellationToken cancellationToken)
    {
        if (_options.DevMode)
        {
            return AuthenticationResult.Success(DevIdentity);
        }

        if (BearerToken.Parse(authorization, _options.MaxTokenBytes, out var error) is not { } token)
        {
            return AuthenticationResult.Failure(error!);
        }

        if (JwtToken.TryParse(token) is { Issuer: { Length: > 0 } issuer } jwt
            && _issuers.Find(issuer, pool) is { Count: > 0 } sources)
        {
            return await _oidc.AuthenticateAsync(jwt, sources, cancellationToken);
        }

        return await _tokenReview.AuthenticateAsync(token, cancellationToken);
    }

    public void Dispose()
    {
        _verifiers.Dispose();
        _http.Dispose();
    }
}
