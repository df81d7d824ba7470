using System.Net;
using System.Net.Sockets;
using BuildKitController.Core.Api.V1Alpha1;
using BuildKitController.Kubernetes.Client;
using BuildKitController.Kubernetes.Configuration;
using BuildKitController.Kubernetes.Models;
using BuildKitController.Operator.Oidc;
using BuildKitController.Testing;
using BuildKitController.Testing.FakeKubernetes;
using BuildKitController.Testing.Oidc;
using BuildKitController.Testing.Time;

namespace BuildKitController.Operator.Tests.Oidc;

public sealed class OidcConfigControllerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The fake API server with the CRDs, a client, a test issuer and a controller on a manual clock, running.</summary>
    private sealed class Harness : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        private Task? _run;

        private Harness(FakeApiServer server, KubernetesClient client, TestOidcIssuer issuer)
        {
            Server = server;
            Client = client;
            Issuer = issuer;
            Handler = issuer.CreateHttpMessageHandler();
            Controller = new OidcConfigController(client, Time, new OidcConfigControllerOptions { Namespace = "default" }, Handler);
        }

        public FakeApiServer Server { get; }

        public KubernetesClient Client { get; }

        public TestOidcIssuer Issuer { get; }

        public ManualTimeProvider Time { get; } = new();

        public HttpMessageHandler Handler { get; }

        public OidcConfigController Controller { get; }

        public static async Task<Harness> StartAsync(TestOidcIssuerOptions? issuerOptions = null)
        {
            var server = await FakeApiServer.StartAsync(null, Ct);
            await server.LoadCustomResourceDefinitionsAsync(RepositoryFiles.PathOf("deploy", "crds"), Ct);
            var client = new KubernetesClient(KubeconfigLoader.LoadFromString(server.CreateKubeconfig()));
            var issuer = await TestOidcIssuer.StartAsync(issuerOptions, Ct);
            return new Harness(server, client, issuer);
        }

        public void Run() => _run = Controller.RunAsync(_stop.Token);

        public Task<BuildKitOIDCConfig> CreateAsync(string name, string? issuer = null, bool? enabled = null) =>
            Client.For<BuildKitOIDCConfig>().CreateAsync(new BuildKitOIDCConfig
            {
                Metadata = new ObjectMeta { Name = name, Namespace = "default" },
                Spec = new BuildKitOIDCConfigSpec { Issuer = issuer ?? Issuer.Issuer, Audience = "buildkit", Enabled = enabled },
            }, Ct);

        /// <summary>Follows the config until its Ready condition satisfies <paramref name="done"/>.</summary>
        public async Task<(BuildKitOIDCConfig Config, Condition Ready)> WaitForReadyConditionAsync(string name, Func<Condition, bool> done)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(30));
            var configs = Client.For<BuildKitOIDCConfig>();
            var current = await configs.GetAsync("default", name, timeout.Token);
            if (ReadyOf(current) is { } ready && done(ready))
            {
                return (current, ready);
            }

            await foreach (var change in configs.WatchAsync("default", new WatchOptions { ResourceVersion = current.Metadata.ResourceVersion, FieldSelector = $"metadata.name={name}" }, timeout.Token))
            {
                if (change.Type == WatchEventType.Modified && ReadyOf(change.Object) is { } condition && done(condition))
                {
                    return (change.Object, condition);
                }
            }

            throw new InvalidOperationException("the watch ended");
        }

        public Task<(BuildKitOIDCConfig Config, Condition Ready)> WaitForReasonAsync(string name, string reason) =>
            WaitForReadyConditionAsync(name, c => c.Reason == reason);

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            if (_run is not null)
            {
                await _run.WaitAsync(TimeSpan.FromSeconds(30), Ct);
            }

            Controller.Dispose();
            Handler.Dispose();
            await Issuer.DisposeAsync();
            Client.Dispose();
            await Server.DisposeAsync();
            _stop.Dispose();
        }

        private static Condition? ReadyOf(BuildKitOIDCConfig config) => config.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready");
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    [Fact]
    public async Task A_reachable_issuer_makes_the_config_ready_and_is_checked_again_after_the_recheck_interval()
    {
        await using var h = await Harness.StartAsync();
        await h.CreateAsync("github");
        h.Run();

        var (config, ready) = await h.WaitForReasonAsync("github", "Verified");

        Assert.Equal(ConditionStatus.True, ready.Status);
        Assert.True(config.Status!.Ready);
        Assert.Equal("issuer verified: 2 signing keys (RS256, ES256)", config.Status.Message);
        Assert.Equal(config.Status.Message, ready.Message);
        Assert.Equal(1, ready.ObservedGeneration);
        Assert.Equal(h.Time.GetUtcNow(), ready.LastTransitionTime);
        Assert.Equal(1, h.Issuer.DiscoveryRequestCount);
        Assert.Equal(1, h.Issuer.JwksRequestCount);

        // Rotation is picked up by the periodic re-check (10 minutes), not before.
        h.Issuer.RotateKeys();
        await h.Time.WaitForTimersAsync(1, Ct);
        h.Time.Advance(TimeSpan.FromMinutes(9));
        Assert.Equal(1, h.Issuer.DiscoveryRequestCount);
        h.Time.Advance(TimeSpan.FromMinutes(1));
        var (rechecked, after) = await h.WaitForReadyConditionAsync("github", c => c.Message.Contains("4 signing keys", StringComparison.Ordinal));
        Assert.Equal(2, h.Issuer.DiscoveryRequestCount);
        Assert.Equal(2, h.Issuer.JwksRequestCount);
        Assert.Equal(ready.LastTransitionTime, after.LastTransitionTime);
        Assert.True(rechecked.Status!.Ready);
    }

    [Fact]
    public async Task Discovery_500_is_reported_backs_off_and_recovers_once_the_issuer_is_fixed()
    {
        await using var h = await Harness.StartAsync();
        h.Issuer.DiscoveryFault = TestOidcFault.ServerError;
        await h.CreateAsync("flaky");
        h.Run();

        var (config, failed) = await h.WaitForReasonAsync("flaky", "DiscoveryFailed");

        Assert.Equal(ConditionStatus.False, failed.Status);
        Assert.False(config.Status!.Ready);
        Assert.Equal($"discovery failed: HTTP 500 from {h.Issuer.DiscoveryUrl}", config.Status.Message);
        Assert.Equal(0, h.Issuer.JwksRequestCount);
        var failedAt = failed.LastTransitionTime;

        // Negative caching: nothing is fetched again before the 30 s backoff.
        await h.Time.WaitForTimersAsync(1, Ct);
        h.Time.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(1, h.Issuer.DiscoveryRequestCount);

        h.Issuer.DiscoveryFault = TestOidcFault.None;
        h.Time.Advance(TimeSpan.FromSeconds(1));
        var (recovered, ready) = await h.WaitForReasonAsync("flaky", "Verified");

        Assert.True(recovered.Status!.Ready);
        Assert.Equal(ConditionStatus.True, ready.Status);
        Assert.Equal(failedAt!.Value.AddSeconds(30), ready.LastTransitionTime);
        Assert.Equal(2, h.Issuer.DiscoveryRequestCount);
    }

    [Fact]
    public async Task Consecutive_failures_double_the_backoff()
    {
        await using var h = await Harness.StartAsync();
        h.Issuer.DiscoveryFault = TestOidcFault.ServerError;
        await h.CreateAsync("down");
        h.Run();
        await h.WaitForReasonAsync("down", "DiscoveryFailed");

        await h.Time.WaitForTimersAsync(1, Ct);
        h.Time.Advance(TimeSpan.FromSeconds(30));
        await h.Issuer.WaitForRequestCountAsync(h.Issuer.DiscoveryPath, 2, Ct);

        // The second failure waits 60 s: the queue timer is re-armed for then, and 59 s fetch nothing.
        await h.Time.WaitForTimersAsync(1, Ct);
        h.Issuer.DiscoveryFault = TestOidcFault.None;
        h.Time.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(2, h.Issuer.DiscoveryRequestCount);
        h.Time.Advance(TimeSpan.FromSeconds(1));
        await h.WaitForReasonAsync("down", "Verified");
        Assert.Equal(3, h.Issuer.DiscoveryRequestCount);
    }

    [Fact]
    public async Task A_discovery_document_naming_another_issuer_is_an_issuer_mismatch()
    {
        await using var h = await Harness.StartAsync();
        h.Issuer.DiscoveryIssuerOverride = h.Issuer.Issuer + "/";
        await h.CreateAsync("mismatch");
        h.Run();

        var (config, condition) = await h.WaitForReasonAsync("mismatch", "IssuerMismatch");

        Assert.False(config.Status!.Ready);
        Assert.Equal(ConditionStatus.False, condition.Status);
        Assert.Contains($"names issuer \"{h.Issuer.Issuer}/\", expected exactly \"{h.Issuer.Issuer}\"", condition.Message, StringComparison.Ordinal);
        Assert.Equal(0, h.Issuer.JwksRequestCount);
    }

    [Fact]
    public async Task A_jwks_without_keys_is_reported_as_no_signing_keys()
    {
        await using var h = await Harness.StartAsync();
        h.Issuer.JwksResponseOverride = """{"keys":[]}""";
        await h.CreateAsync("empty");
        h.Run();

        var (config, condition) = await h.WaitForReasonAsync("empty", "NoSigningKeys");

        Assert.False(config.Status!.Ready);
        Assert.Equal($"no usable signing key in the JWKS at {h.Issuer.JwksUrl}: it has no keys", condition.Message);
    }

    [Fact]
    public async Task A_failing_jwks_endpoint_is_reported_as_jwks_failed()
    {
        await using var h = await Harness.StartAsync();
        h.Issuer.JwksFault = TestOidcFault.ServerError;
        await h.CreateAsync("nokeys");
        h.Run();

        var (_, condition) = await h.WaitForReasonAsync("nokeys", "JwksFailed");

        Assert.Equal($"JWKS fetch failed: HTTP 500 from {h.Issuer.JwksUrl}", condition.Message);
    }

    [Fact]
    public async Task A_disabled_config_is_not_ready_and_its_issuer_is_never_contacted()
    {
        await using var h = await Harness.StartAsync();
        await h.CreateAsync("off", enabled: false);
        h.Run();

        var (config, condition) = await h.WaitForReasonAsync("off", "Disabled");

        Assert.False(config.Status!.Ready);
        Assert.Equal(ConditionStatus.False, condition.Status);
        Assert.Equal(0, h.Issuer.DiscoveryRequestCount);
        Assert.Equal(0, h.Time.ActiveTimerCount);
    }

    [Fact]
    public async Task An_invalid_spec_is_reported_without_contacting_anyone()
    {
        await using var h = await Harness.StartAsync();
        await h.CreateAsync("plain", issuer: "http://issuer.example.com");
        h.Run();

        var (config, condition) = await h.WaitForReasonAsync("plain", "InvalidSpec");

        Assert.False(config.Status!.Ready);
        Assert.StartsWith("invalid spec: spec.issuer: ", condition.Message, StringComparison.Ordinal);
        Assert.Equal(0, h.Time.ActiveTimerCount);
    }

    [Fact]
    public async Task An_unreachable_issuer_is_reported_as_discovery_failed()
    {
        await using var h = await Harness.StartAsync();
        var port = ClosedPort();
        await h.CreateAsync("gone", issuer: $"https://127.0.0.1:{port}");
        h.Run();

        var (config, condition) = await h.WaitForReasonAsync("gone", "DiscoveryFailed");

        Assert.False(config.Status!.Ready);
        Assert.StartsWith($"discovery failed: cannot reach https://127.0.0.1:{port}/.well-known/openid-configuration: ", condition.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_spec_change_is_checked_at_once_and_moves_observed_generation_without_a_transition()
    {
        await using var h = await Harness.StartAsync();
        await h.CreateAsync("moving");
        h.Run();
        var (config, ready) = await h.WaitForReasonAsync("moving", "Verified");

        config.Spec.Audience = "another-audience";
        await h.Client.For<BuildKitOIDCConfig>().UpdateAsync(config, Ct);
        var (_, after) = await h.WaitForReadyConditionAsync("moving", c => c.ObservedGeneration == 2);

        Assert.Equal("Verified", after.Reason);
        Assert.Equal(ready.LastTransitionTime, after.LastTransitionTime);
        Assert.Equal(2, h.Issuer.DiscoveryRequestCount);

        // Disabling flips the condition to False: a transition.
        config = await h.Client.For<BuildKitOIDCConfig>().GetAsync("default", "moving", Ct);
        config.Spec.Enabled = false;
        h.Time.Advance(TimeSpan.FromSeconds(5));
        await h.Client.For<BuildKitOIDCConfig>().UpdateAsync(config, Ct);
        var (_, disabled) = await h.WaitForReasonAsync("moving", "Disabled");
        Assert.Equal(3, disabled.ObservedGeneration);
        Assert.Equal(ready.LastTransitionTime!.Value.AddSeconds(5), disabled.LastTransitionTime);
    }
}
