using BuildKitController.Operator.Auth;
using Microsoft.Extensions.Logging;

namespace BuildKitController.Operator.Tests.Auth;

/// <summary>Kubernetes callers: TokenReview audiences, the short positive cache, API failures, and dev mode.</summary>
public sealed class TokenReviewTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Configured_audiences_are_sent_and_a_token_for_another_audience_is_refused()
    {
        await using var h = await AuthHarness.StartAsync();
        var authenticator = h.CreateAuthenticator(new AuthOptions { TokenReviewAudiences = ["buildkit-controller"] });
        var dedicated = h.AddKubernetesToken("system:serviceaccount:ci:builder", audiences: ["buildkit-controller"]);
        var apiServerToken = h.AddKubernetesToken("system:serviceaccount:ci:other");

        var accepted = await authenticator.AuthenticateAsync($"Bearer {dedicated}", null, Ct);
        var refused = await authenticator.AuthenticateAsync($"Bearer {apiServerToken}", null, Ct);

        Assert.True(accepted.Succeeded, accepted.Error);
        Assert.False(refused.Succeeded);
        Assert.All(h.TokenReviews, r => Assert.Equal(["buildkit-controller"], r.Audiences!));
    }

    [Fact]
    public async Task An_authenticated_review_that_does_not_confirm_the_audience_is_refused()
    {
        await using var h = await AuthHarness.StartAsync();
        var authenticator = h.CreateAuthenticator(new AuthOptions { TokenReviewAudiences = ["buildkit-controller"] });
        h.Server.TokenReviewHandler = _ => new() { Authenticated = true, User = new() { Username = "system:serviceaccount:ci:builder" }, Audiences = ["https://kubernetes.default.svc"] };

        var result = await authenticator.AuthenticateAsync("Bearer some-token", null, Ct);

        Assert.False(result.Succeeded);
        Assert.Contains("audience", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Positive_answers_are_cached_briefly_and_negative_ones_not_at_all()
    {
        await using var h = await AuthHarness.StartAsync();
        var authenticator = h.CreateAuthenticator();
        var token = $"Bearer {h.AddKubernetesToken("system:serviceaccount:ci:builder")}";

        for (var i = 0; i < 3; i++)
        {
            Assert.True((await authenticator.AuthenticateAsync(token, null, Ct)).Succeeded);
        }

        Assert.Single(h.TokenReviews);
        h.Time.Advance(TimeSpan.FromSeconds(10));
        Assert.True((await authenticator.AuthenticateAsync(token, null, Ct)).Succeeded);
        Assert.Equal(2, h.TokenReviews.Count);

        Assert.False((await authenticator.AuthenticateAsync("Bearer unknown", null, Ct)).Succeeded);
        Assert.False((await authenticator.AuthenticateAsync("Bearer unknown", null, Ct)).Succeeded);
        Assert.Equal(4, h.TokenReviews.Count);
        var scrape = h.Scrape();
        Assert.Contains("buildkit_controller_token_reviews_total{result=\"cached\"} 2\n", scrape, StringComparison.Ordinal);
        Assert.Contains("buildkit_controller_token_reviews_total{result=\"authenticated\"} 2\n", scrape, StringComparison.Ordinal);
        Assert.Contains("buildkit_controller_token_reviews_total{result=\"rejected\"} 2\n", scrape, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_API_server_is_a_transient_failure_not_an_authentication_failure()
    {
        await using var h = await AuthHarness.StartAsync();
        var authenticator = h.CreateAuthenticator();
        var token = h.AddKubernetesToken("system:serviceaccount:ci:builder");
        h.Server.Faults.FailNext(1, 403, r => r.Path.Contains("tokenreviews", StringComparison.Ordinal));

        var failed = await authenticator.AuthenticateAsync($"Bearer {token}", null, Ct);
        var retried = await authenticator.AuthenticateAsync($"Bearer {token}", null, Ct);

        Assert.False(failed.Succeeded);
        Assert.True(failed.IsTransient);
        Assert.DoesNotContain(token, failed.Error, StringComparison.Ordinal);
        Assert.True(retried.Succeeded, retried.Error);
        Assert.Contains(h.Logs.Entries, e => e.Id.Id == 2407 && !e.Message.Contains(token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task No_log_entry_contains_a_token()
    {
        await using var h = await AuthHarness.StartAsync(issuer => [AuthHarness.Config(AuthHarness.ControllerNamespace, "ci", issuer.Issuer)]);
        var authenticator = h.CreateAuthenticator(new AuthOptions { DevMode = false });
        var tokens = new[] { h.AddKubernetesToken("system:serviceaccount:ci:builder"), h.Issuer.CreateToken(), h.Issuer.CreateToken(new() { Audience = "x" }), "opaque-secret-token" };

        foreach (var token in tokens)
        {
            await authenticator.AuthenticateAsync($"Bearer {token}", null, Ct);
        }

        Assert.NotEmpty(h.Logs.Entries);
        Assert.All(h.Logs.Entries, e => Assert.All(tokens, t => Assert.DoesNotContain(t.Split('.')[^1], e.Message, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Dev_mode_makes_every_request_the_admin_dev_user_and_says_so_loudly()
    {
        await using var h = await AuthHarness.StartAsync();
        var authenticator = h.CreateAuthenticator(new AuthOptions { DevMode = true });

        var none = await authenticator.AuthenticateAsync(null, null, Ct);
        var garbage = await authenticator.AuthenticateAsync("Bearer garbage", null, Ct);

        Assert.Equal(CallerAuthenticator.DevUser, none.Identity!.Name);
        Assert.Equal(CallerMethods.Dev, none.Identity.Method);
        Assert.True(none.Identity.IsAdmin);
        Assert.Equal(CallerAuthenticator.DevUser, garbage.Identity!.Name);
        Assert.Empty(h.TokenReviews);
        Assert.Contains(h.Logs.Entries, e => e.Id.Id == 2400 && e.Level == LogLevel.Critical && e.Message.Contains("INSECURE", StringComparison.Ordinal));
        var decision = await h.CreateAuthorizer().AuthorizeAsync(none.Identity, AuthHarness.Pool("any", "pool"), PoolVerbs.Allocate, Ct);
        Assert.True(decision.Allowed);
    }

    [Fact]
    public async Task Without_dev_mode_nothing_is_logged_about_it()
    {
        await using var h = await AuthHarness.StartAsync();
        h.CreateAuthenticator();

        Assert.DoesNotContain(h.Logs.Entries, e => e.Id.Id == 2400);
    }

    [Fact]
    public void Invalid_options_are_refused()
    {
        Assert.Empty(new AuthOptions().Validate());
        Assert.Contains(new AuthOptions { AllowedAlgorithms = ["none"] }.Validate(), e => e.Contains("\"none\" is not supported", StringComparison.Ordinal));
        Assert.Contains(new AuthOptions { AllowedAlgorithms = ["HS256"] }.Validate(), e => e.Contains("HS256", StringComparison.Ordinal));
        Assert.NotEmpty(new AuthOptions { AllowedAlgorithms = [] }.Validate());
        Assert.NotEmpty(new AuthOptions { ClockSkew = TimeSpan.FromMinutes(10) }.Validate());
        Assert.NotEmpty(new AuthOptions { ControllerNamespace = "" }.Validate());
        Assert.NotEmpty(new AuthOptions { TokenReviewAudiences = [""] }.Validate());
    }
}
