using BuildKitController.Testing.Oidc;
using Microsoft.Extensions.Logging;

namespace BuildKitController.Operator.Tests.Auth;

/// <summary>JWKS rotation, rate-limited refreshes, expiry of keys and negative caching of discovery failures.</summary>
public sealed class OidcKeyLifecycleTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<AuthHarness> StartAsync() =>
        AuthHarness.StartAsync(issuer => [AuthHarness.Config(AuthHarness.ControllerNamespace, "ci", issuer.Issuer)]);

    private static string Bearer(TestOidcIssuer issuer, TestTokenOptions? options = null) => "Bearer " + issuer.CreateToken(options);

    [Fact]
    public async Task A_rotated_key_verifies_after_a_JWKS_refresh_that_is_rate_limited()
    {
        await using var h = await StartAsync();
        var authenticator = h.CreateAuthenticator();
        Assert.True((await authenticator.AuthenticateAsync(Bearer(h.Issuer), null, Ct)).Succeeded);
        Assert.Equal((1, 1), (h.Issuer.DiscoveryRequestCount, h.Issuer.JwksRequestCount));

        var rotated = h.Issuer.RotateKeys();
        var newToken = Bearer(h.Issuer);
        var tooSoon = await authenticator.AuthenticateAsync(newToken, null, Ct);

        Assert.False(tooSoon.Succeeded);
        Assert.Contains("not signed by a key its issuer publishes", tooSoon.Error, StringComparison.Ordinal);
        Assert.Equal(1, h.Issuer.JwksRequestCount);

        h.Time.Advance(TimeSpan.FromSeconds(30));
        var refreshed = await authenticator.AuthenticateAsync(newToken, null, Ct);

        Assert.True(refreshed.Succeeded, refreshed.Error);
        Assert.Equal(2, h.Issuer.JwksRequestCount);
        Assert.Equal(1, h.Issuer.DiscoveryRequestCount);
        Assert.Equal(rotated[0].KeyId, h.Issuer.GetCurrentKey("RS256").KeyId);
        Assert.True((await authenticator.AuthenticateAsync(Bearer(h.Issuer, new TestTokenOptions { Algorithm = "ES256" }), null, Ct)).Succeeded);
        Assert.Equal(2, h.Issuer.JwksRequestCount);
    }

    [Fact]
    public async Task Tokens_with_random_key_ids_cause_at_most_one_JWKS_fetch_per_interval()
    {
        await using var h = await StartAsync();
        var authenticator = h.CreateAuthenticator();
        Assert.True((await authenticator.AuthenticateAsync(Bearer(h.Issuer), null, Ct)).Succeeded);
        h.Time.Advance(TimeSpan.FromSeconds(30));

        for (var i = 0; i < 5; i++)
        {
            var result = await authenticator.AuthenticateAsync(Bearer(h.Issuer, new TestTokenOptions { KeyId = $"random-{i}" }), null, Ct);
            Assert.False(result.Succeeded);
        }

        Assert.Equal(2, h.Issuer.JwksRequestCount);
        Assert.Contains("result=\"unknown_key\"} 5\n", h.Scrape(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_removed_from_the_JWKS_stops_verifying_once_the_keys_are_reloaded()
    {
        await using var h = await StartAsync();
        var authenticator = h.CreateAuthenticator();
        var old = h.Issuer.GetCurrentKey("RS256");
        Assert.True((await authenticator.AuthenticateAsync(Bearer(h.Issuer), null, Ct)).Succeeded);
        h.Issuer.RotateKeys();
        h.Issuer.RemoveKey(old.KeyId);

        Assert.True((await authenticator.AuthenticateAsync(Bearer(h.Issuer, new TestTokenOptions { Key = old }), null, Ct)).Succeeded);

        h.Time.Advance(TimeSpan.FromMinutes(15));
        var retired = await authenticator.AuthenticateAsync(Bearer(h.Issuer, new TestTokenOptions { Key = old }), null, Ct);

        Assert.False(retired.Succeeded);
        Assert.Equal(2, h.Issuer.DiscoveryRequestCount);
        Assert.True((await authenticator.AuthenticateAsync(Bearer(h.Issuer), null, Ct)).Succeeded);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_failed_discovery_or_JWKS_load_is_negatively_cached_for_the_TTL(bool failDiscovery)
    {
        await using var h = await StartAsync();
        var authenticator = h.CreateAuthenticator();
        if (failDiscovery)
        {
            h.Issuer.DiscoveryFault = TestOidcFault.ServerError;
        }
        else
        {
            h.Issuer.JwksFault = TestOidcFault.InvalidJson;
        }

        var first = await authenticator.AuthenticateAsync(Bearer(h.Issuer), null, Ct);
        var second = await authenticator.AuthenticateAsync(Bearer(h.Issuer), null, Ct);

        Assert.False(first.Succeeded);
        Assert.True(first.IsTransient);
        Assert.Contains("cannot be reached", first.Error, StringComparison.Ordinal);
        Assert.True(second.IsTransient);
        Assert.Equal(1, h.Issuer.DiscoveryRequestCount);
        Assert.Equal(failDiscovery ? 0 : 1, h.Issuer.JwksRequestCount);
        Assert.Empty(h.TokenReviews);

        h.Issuer.DiscoveryFault = TestOidcFault.None;
        h.Issuer.JwksFault = TestOidcFault.None;
        h.Time.Advance(TimeSpan.FromSeconds(29));
        Assert.False((await authenticator.AuthenticateAsync(Bearer(h.Issuer), null, Ct)).Succeeded);
        Assert.Equal(1, h.Issuer.DiscoveryRequestCount);

        h.Time.Advance(TimeSpan.FromSeconds(1));
        var recovered = await authenticator.AuthenticateAsync(Bearer(h.Issuer), null, Ct);

        Assert.True(recovered.Succeeded, recovered.Error);
        Assert.Equal(2, h.Issuer.DiscoveryRequestCount);
        var scrape = h.Scrape();
        Assert.Contains("result=\"issuer_unavailable\"} 3\n", scrape, StringComparison.Ordinal);
        Assert.Contains(h.Logs.Entries, e => e.Id.Id == 2403 && e.Level == LogLevel.Warning && e.Message.Contains(h.Issuer.Issuer, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_discovery_document_naming_another_issuer_is_refused()
    {
        await using var h = await StartAsync();
        var authenticator = h.CreateAuthenticator();
        h.Issuer.DiscoveryIssuerOverride = "https://attacker.example.com";

        var result = await authenticator.AuthenticateAsync(Bearer(h.Issuer), null, Ct);

        Assert.False(result.Succeeded);
        Assert.True(result.IsTransient);
        Assert.Equal(0, h.Issuer.JwksRequestCount);
    }

    [Fact]
    public async Task When_a_refresh_fails_the_known_keys_stay_in_use()
    {
        await using var h = await StartAsync();
        var authenticator = h.CreateAuthenticator();
        Assert.True((await authenticator.AuthenticateAsync(Bearer(h.Issuer), null, Ct)).Succeeded);
        h.Issuer.DiscoveryFault = TestOidcFault.ServerError;
        h.Time.Advance(TimeSpan.FromMinutes(15));

        var result = await authenticator.AuthenticateAsync(Bearer(h.Issuer), null, Ct);
        var again = await authenticator.AuthenticateAsync(Bearer(h.Issuer), null, Ct);

        Assert.True(result.Succeeded, result.Error);
        Assert.True(again.Succeeded, again.Error);
        Assert.Equal(2, h.Issuer.DiscoveryRequestCount);
        Assert.Contains(h.Logs.Entries, e => e.Id.Id == 2405);
    }
}
