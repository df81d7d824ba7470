using BuildKitController.Core.Api.V1Alpha1;
using BuildKitController.Kubernetes.Models;
using BuildKitController.Operator.Oidc;

namespace BuildKitController.Operator.Tests.Oidc;

public sealed class OidcConfigStatusBuilderTests
{
    private static readonly DateTimeOffset T0 = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void First_status_sets_ready_message_and_a_ready_condition_at_now()
    {
        var status = OidcConfigStatusBuilder.Build(null, "Verified", "issuer verified", 3, T0);

        Assert.True(status.Ready);
        Assert.Equal("issuer verified", status.Message);
        var condition = Assert.Single(status.Conditions!);
        Assert.Equal(("Ready", "True", "Verified", "issuer verified", 3L, T0),
            (condition.Type, condition.Status, condition.Reason, condition.Message, condition.ObservedGeneration!.Value, condition.LastTransitionTime!.Value));
    }

    [Fact]
    public void Changing_reason_without_flipping_status_keeps_the_transition_time()
    {
        var failed = OidcConfigStatusBuilder.Build(null, "DiscoveryFailed", "discovery failed: HTTP 500", 1, T0);

        var still = OidcConfigStatusBuilder.Build(failed, "JwksFailed", "JWKS fetch failed: HTTP 500", 2, T0.AddMinutes(1));

        var condition = Assert.Single(still.Conditions!);
        Assert.Equal("JwksFailed", condition.Reason);
        Assert.Equal(2, condition.ObservedGeneration);
        Assert.Equal(T0, condition.LastTransitionTime);
        Assert.False(still.Ready);
        Assert.False(OidcConfigStatusBuilder.Same(failed, still));
    }

    [Fact]
    public void Flipping_status_moves_the_transition_time()
    {
        var failed = OidcConfigStatusBuilder.Build(null, "DiscoveryFailed", "down", 1, T0);

        var ready = OidcConfigStatusBuilder.Build(failed, "Verified", "up", 1, T0.AddSeconds(30));
        var disabled = OidcConfigStatusBuilder.Build(ready, "Disabled", "off", 2, T0.AddSeconds(60));

        Assert.Equal(T0.AddSeconds(30), Assert.Single(ready.Conditions!).LastTransitionTime);
        Assert.Equal(T0.AddSeconds(60), Assert.Single(disabled.Conditions!).LastTransitionTime);
        Assert.Equal("False", Assert.Single(disabled.Conditions!).Status);
    }

    [Fact]
    public void Rebuilding_the_same_outcome_is_recognised_as_no_change()
    {
        var status = OidcConfigStatusBuilder.Build(null, "Verified", "ok", 1, T0);

        var again = OidcConfigStatusBuilder.Build(status, "Verified", "ok", 1, T0.AddHours(1));

        Assert.True(OidcConfigStatusBuilder.Same(status, again));
        Assert.False(OidcConfigStatusBuilder.Same(null, again));
        Assert.False(OidcConfigStatusBuilder.Same(status, OidcConfigStatusBuilder.Build(status, "Verified", "ok", 2, T0)));
    }

    [Fact]
    public void Other_conditions_and_unknown_status_fields_are_kept()
    {
        var other = new Condition { Type = "Approved", Status = "True", Reason = "Admin", LastTransitionTime = T0 };
        var extra = System.Text.Json.JsonDocument.Parse("\"kept\"").RootElement;
        var current = new BuildKitOIDCConfigStatus { Conditions = [other], Message = "old", ExtensionData = new() { ["future"] = extra } };

        var status = OidcConfigStatusBuilder.Build(current, "Disabled", "off", 1, T0.AddSeconds(1));

        Assert.Equal(["Approved", "Ready"], status.Conditions!.Select(c => c.Type));
        Assert.Same(other, status.Conditions![0]);
        Assert.Equal("kept", status.ExtensionData!["future"].GetString());
    }

    [Fact]
    public void Long_messages_are_truncated()
    {
        var status = OidcConfigStatusBuilder.Build(null, "DiscoveryFailed", new string('x', 5000), 1, T0);

        Assert.Equal(OidcConfigStatusBuilder.MaxMessageLength, status.Message!.Length);
        Assert.EndsWith("…", status.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, 30)]
    [InlineData(2, 60)]
    [InlineData(3, 120)]
    [InlineData(5, 480)]
    [InlineData(6, 600)]
    [InlineData(1000, 600)]
    public void Retry_delay_starts_at_30_seconds_and_doubles_up_to_10_minutes(int failures, int seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), new OidcConfigControllerOptions().RetryDelay(failures));
    }
}
