using BuildKitController.Operator.Oidc;

namespace BuildKitController.Operator.Auth.OpenIdConnect;

/// <summary>
/// The signing keys of one trusted issuer, loaded lazily through discovery (<see cref="OidcIssuerProbe"/>: exact
/// <c>issuer</c> match, https <c>jwks_uri</c>, usable keys only) and kept fresh:
/// <list type="bullet">
/// <item>a token with an unknown <c>kid</c> refetches the JWKS (key rotation), at most once per
/// <see cref="AuthOptions.JwksRefreshMinInterval"/>, so random key ids cannot hammer the issuer;</item>
/// <item>discovery and JWKS are reloaded after <see cref="AuthOptions.JwksMaxAge"/>, so removed keys stop
/// verifying; if that reload fails the known keys stay in use;</item>
/// <item>a failed first load is cached for <see cref="AuthOptions.DiscoveryNegativeCacheTtl"/>: tokens fail fast
/// and the issuer is not asked again until then.</item>
/// </list>
/// Loads are single-flight. Keys without a <c>kid</c> are never used (a token must name its key).
/// </summary>
internal sealed class OidcIssuerKeys : IDisposable
{
    private readonly OidcIssuerProbe _probe;
    private readonly OidcDocumentFetcher _fetcher;
    private readonly AuthOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile KeySet? _keys;
    private DateTimeOffset _lastJwksFetch = DateTimeOffset.MinValue;
    private DateTimeOffset _retryAt = DateTimeOffset.MinValue;

    public OidcIssuerKeys(string issuer, OidcDocumentFetcher fetcher, AuthOptions options, TimeProvider time, ILogger logger)
    {
        Issuer = issuer;
        _fetcher = fetcher;
        _probe = new OidcIssuerProbe(fetcher);
        _options = options;
        _time = time;
        _logger = logger;
    }

    public string Issuer { get; }

    /// <summary>The usable keys with id <paramref name="keyId"/>, loading or refreshing the JWKS when needed.</summary>
    public async Task<OidcKeyLookup> FindAsync(string keyId, CancellationToken cancellationToken)
    {
        var keys = _keys;
        if (keys is not null && !IsStale(keys) && keys.ById.TryGetValue(keyId, out var found))
        {
            return OidcKeyLookup.Found(found);
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            keys = _keys;
            if (keys is null || IsStale(keys))
            {
                keys = await LoadAsync(keys, cancellationToken);
                if (keys is null)
                {
                    return OidcKeyLookup.Failed(OidcFailure.IssuerUnavailable);
                }
            }

            if (keys.ById.TryGetValue(keyId, out found))
            {
                return OidcKeyLookup.Found(found);
            }

            var now = _time.GetUtcNow();
            if (now - _lastJwksFetch < _options.JwksRefreshMinInterval)
            {
                AuthLog.UnknownKeyThrottled(_logger, Issuer, _options.JwksRefreshMinInterval);
                return OidcKeyLookup.Failed(OidcFailure.UnknownKey);
            }

            _lastJwksFetch = now;
            var jwks = await _fetcher.GetAsync(keys.JwksUri, OidcJsonContext.Default.JsonWebKeySet, cancellationToken);
            if (jwks.Value is not { } set || SigningKeyFilter.Usable(set) is not { Count: > 0 } usable)
            {
                AuthLog.IssuerRefreshFailed(_logger, Issuer, jwks.Error ?? "the JWKS has no usable signing key", keys.Count);
                return OidcKeyLookup.Failed(OidcFailure.UnknownKey);
            }

            keys = keys with { ById = Index(usable) };
            _keys = keys;
            AuthLog.IssuerKeysLoaded(_logger, Issuer, keys.Count);
            return keys.ById.TryGetValue(keyId, out found) ? OidcKeyLookup.Found(found) : OidcKeyLookup.Failed(OidcFailure.UnknownKey);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private bool IsStale(KeySet keys) => _time.GetUtcNow() - keys.LoadedAt >= _options.JwksMaxAge;

    /// <summary>Discovery and JWKS; on failure the previous keys (null on a first load) and a negative-cache entry.</summary>
    private async Task<KeySet?> LoadAsync(KeySet? previous, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (now < _retryAt)
        {
            return previous;
        }

        string? error;
        KeySet? loaded = null;
        if (!IsFetchable(Issuer))
        {
            error = "the issuer must be an https URL (http only on a loopback host)";
        }
        else
        {
            var probe = await _probe.ProbeAsync(Issuer, cancellationToken);
            error = probe.Ready ? null : probe.Message;
            if (probe.Ready && OidcIssuerProbe.JwksUriProblem(new Uri(Issuer), probe.Discovery!.JwksUri, out var jwksUri) is null)
            {
                loaded = new KeySet(jwksUri!, Index(probe.SigningKeys!), now);
            }
        }

        _lastJwksFetch = now;
        if (loaded is null || loaded.Count == 0)
        {
            error ??= "the JWKS has no usable signing key with a kid";
            _retryAt = now + _options.DiscoveryNegativeCacheTtl;
            if (previous is null)
            {
                AuthLog.IssuerUnavailable(_logger, Issuer, error, _options.DiscoveryNegativeCacheTtl);
            }
            else
            {
                // Keep the known keys, and look again once the negative-cache time has passed.
                AuthLog.IssuerRefreshFailed(_logger, Issuer, error, previous.Count);
                previous = previous with { LoadedAt = now - _options.JwksMaxAge + _options.DiscoveryNegativeCacheTtl };
                _keys = previous;
            }

            return previous;
        }

        _keys = loaded;
        AuthLog.IssuerKeysLoaded(_logger, Issuer, loaded.Count);
        return loaded;
    }

    private static bool IsFetchable(string issuer) =>
        Uri.TryCreate(issuer, UriKind.Absolute, out var uri) && string.IsNullOrEmpty(uri.UserInfo)
        && (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback));

    private static Dictionary<string, IReadOnlyList<JsonWebKey>> Index(IEnumerable<JsonWebKey> keys) =>
        keys.Where(k => !string.IsNullOrEmpty(k.KeyId))
            .GroupBy(k => k.KeyId!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<JsonWebKey>)[.. g], StringComparer.Ordinal);

    private sealed record KeySet(Uri JwksUri, IReadOnlyDictionary<string, IReadOnlyList<JsonWebKey>> ById, DateTimeOffset LoadedAt)
    {
        public int Count => ById.Values.Sum(k => k.Count);
    }
}
