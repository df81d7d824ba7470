using System.Collections.Concurrent;
using BuildKitController.Operator.Oidc;

namespace BuildKitController.Operator.Auth.OpenIdConnect;

/// <summary>
/// Verifiers cached per (issuer, audience), so two configs with one issuer and different audiences never share an
/// audience (upstream cached by issuer only). Verifiers of one issuer share its keys (<see cref="OidcIssuerKeys"/>),
/// so the issuer is fetched once. Only trusted sources create entries; entries unused for <see cref="IdleLifetime"/>
/// are dropped (a deleted config's issuer is not kept forever).
/// </summary>
internal sealed class OidcVerifierCache(OidcDocumentFetcher fetcher, AuthOptions options, TimeProvider time, ILogger logger) : IDisposable
{
    public static readonly TimeSpan IdleLifetime = TimeSpan.FromHours(24);

    private static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(10);

    private readonly ConcurrentDictionary<string, Entry<OidcIssuerKeys>> _issuers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Issuer, string Audience), Entry<OidcTokenVerifier>> _verifiers = new();
    private readonly Lock _sweepLock = new();
    private DateTimeOffset _nextSweep = time.GetUtcNow() + SweepInterval;

    /// <summary>How many (issuer, audience) verifiers are cached.</summary>
    public int Count => _verifiers.Count;

    /// <summary>How many issuers have key state.</summary>
    public int IssuerCount => _issuers.Count;

    public OidcTokenVerifier Get(string issuer, string audience)
    {
        var now = time.GetUtcNow();
        Sweep(now);
        var entry = _verifiers.GetOrAdd((issuer, audience), key => new Entry<OidcTokenVerifier>(
            new OidcTokenVerifier(Keys(key.Issuer, now), key.Audience, options, time), now));
        entry.Touch(now);
        Keys(issuer, now);
        return entry.Value;
    }

    public void Dispose()
    {
        foreach (var entry in _issuers.Values)
        {
            entry.Value.Dispose();
        }
    }

    private OidcIssuerKeys Keys(string issuer, DateTimeOffset now)
    {
        var entry = _issuers.GetOrAdd(issuer, i => new Entry<OidcIssuerKeys>(new OidcIssuerKeys(i, fetcher, options, time, logger), now));
        entry.Touch(now);
        return entry.Value;
    }

    private void Sweep(DateTimeOffset now)
    {
        lock (_sweepLock)
        {
            if (now < _nextSweep)
            {
                return;
            }

            _nextSweep = now + SweepInterval;
        }

        foreach (var (key, entry) in _verifiers)
        {
            if (now - entry.LastUsed > IdleLifetime)
            {
                _verifiers.TryRemove(key, out _);
            }
        }

        foreach (var (issuer, entry) in _issuers)
        {
            if (now - entry.LastUsed > IdleLifetime && !_verifiers.Keys.Any(k => k.Issuer == issuer))
            {
                // Not disposed: a request may still be using it; the semaphore needs no disposal to be collected.
                _issuers.TryRemove(issuer, out _);
            }
        }
    }

    private sealed class Entry<T>(T value, DateTimeOffset created)
    {
        private long _lastUsedTicks = created.UtcTicks;

        public T Value => value;

        public DateTimeOffset LastUsed => new(Interlocked.Read(ref _lastUsedTicks), TimeSpan.Zero);

        public void Touch(DateTimeOffset now) => Interlocked.Exchange(ref _lastUsedTicks, now.UtcTicks);
    }
}
