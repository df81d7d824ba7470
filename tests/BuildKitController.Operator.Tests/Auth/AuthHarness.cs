using System.Collections.Concurrent;
using BuildKitController.Core.Api.V1Alpha1;
using BuildKitController.Hosting.Metrics;
using BuildKitController.Kubernetes.Client;
using BuildKitController.Kubernetes.Configuration;
using BuildKitController.Kubernetes.Models;
using BuildKitController.Kubernetes.Models.AuthenticationV1;
using BuildKitController.Kubernetes.Models.AuthorizationV1;
using BuildKitController.Kubernetes.Runtime.Informers;
using BuildKitController.Operator.Auth;
using BuildKitController.Testing;
using BuildKitController.Testing.FakeKubernetes;
using BuildKitController.Testing.Logging;
using BuildKitController.Testing.Oidc;
using BuildKitController.Testing.Time;

namespace BuildKitController.Operator.Tests.Auth;

/// <summary>
/// The fake API server (CRDs loaded; TokenReview answers from registered tokens; SubjectAccessReview from
/// <see cref="AccessRule"/>), an HTTPS test OIDC issuer on the same manual clock, and a running
/// BuildKitOIDCConfig informer whose configs are created before it lists.
/// </summary>
internal sealed class AuthHarness : IAsyncDisposable
{
    public const string ControllerNamespace = "buildkit-system";
    public const string TenantNamespace = "team-a";
    public const string Audience = "buildkit";
    public const string KubernetesIssuer = "https://kubernetes.default.svc.cluster.local";

    private readonly ConcurrentDictionary<string, (string User, string[] Groups, string[] Audiences)> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<TokenReviewSpec> _tokenReviews = new();
    private readonly ConcurrentQueue<SubjectAccessReviewSpec> _accessReviews = new();
    private readonly CancellationTokenSource _stop;
    private readonly Task _informerRun;
    private readonly List<IDisposable> _owned = [];

    private AuthHarness(FakeApiServer server, KubernetesClient client, TestOidcIssuer issuer, ManualTimeProvider time, Informer<BuildKitOIDCConfig> configs, CancellationTokenSource stop, Task informerRun)
    {
        Server = server;
        Client = client;
        Issuer = issuer;
        Time = time;
        Configs = configs;
        _stop = stop;
        _informerRun = informerRun;
        Handler = issuer.CreateHttpMessageHandler();
        Metrics = new AuthMetrics(MeterName);
        Exporter = new PrometheusExporter([MeterName]);
        server.TokenReviewHandler = Review;
        server.SubjectAccessReviewHandler = spec =>
        {
            _accessReviews.Enqueue(spec);
            return new SubjectAccessReviewStatus { Allowed = AccessRule(spec), Reason = "" };
        };
    }

    public static DateTimeOffset Start { get; } = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public FakeApiServer Server { get; }

    public KubernetesClient Client { get; }

    public TestOidcIssuer Issuer { get; }

    public ManualTimeProvider Time { get; }

    public Informer<BuildKitOIDCConfig> Configs { get; }

    public HttpMessageHandler Handler { get; }

    public string MeterName { get; } = "test.auth." + Guid.NewGuid().ToString("N");

    public AuthMetrics Metrics { get; }

    public PrometheusExporter Exporter { get; }

    public RecordingLoggerFactory Logs { get; } = new();

    /// <summary>Decides SubjectAccessReviews (default: deny).</summary>
    public Func<SubjectAccessReviewSpec, bool> AccessRule { get; set; } = _ => false;

    public IReadOnlyList<TokenReviewSpec> TokenReviews => [.. _tokenReviews];

    public IReadOnlyList<SubjectAccessReviewSpec> AccessReviews => [.. _accessReviews];

    /// <summary>Starts everything; <paramref name="configs"/> (given the issuer) exist before the informer lists.</summary>
    public static async Task<AuthHarness> StartAsync(Func<TestOidcIssuer, IEnumerable<BuildKitOIDCConfig>>? configs = null, TestOidcIssuerOptions? issuerOptions = null)
    {
        var ct = TestContext.Current.CancellationToken;
        var time = new ManualTimeProvider(Start);
        var server = await FakeApiServer.StartAsync(new FakeApiServerOptions { InitialNamespaces = ["default", "kube-system", ControllerNamespace, TenantNamespace] }, ct);
        await server.LoadCustomResourceDefinitionsAsync(RepositoryFiles.PathOf("deploy", "crds"), ct);
        var client = new KubernetesClient(KubeconfigLoader.LoadFromString(server.CreateKubeconfig()));
        var issuer = await TestOidcIssuer.StartAsync((issuerOptions ?? new TestOidcIssuerOptions()) with { TimeProvider = time }, ct);
        foreach (var config in configs?.Invoke(issuer) ?? [])
        {
            await client.For<BuildKitOIDCConfig>().CreateAsync(config, ct);
        }

        var informer = new Informer<BuildKitOIDCConfig>(client);
        var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var run = informer.RunAsync(stop.Token);
        await informer.WaitForSyncAsync(ct);
        return new AuthHarness(server, client, issuer, time, informer, stop, run);
    }

    public static BuildKitOIDCConfig Config(string ns, string name, string issuer, string audience = Audience, ClaimsMapping? mapping = null, bool? enabled = null) => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = ns },
        Spec = new BuildKitOIDCConfigSpec { Issuer = issuer, Audience = audience, ClaimsMapping = mapping, Enabled = enabled },
    };

    public static BuildKitPool Pool(string ns, string name, AuthConfig? auth = null) => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = ns },
        Spec = new BuildKitPoolSpec { Auth = auth },
    };

    /// <summary>Options for this harness: controller namespace, short caches.</summary>
    public static AuthOptions Options(AuthOptions? options = null) => (options ?? new AuthOptions()) with { ControllerNamespace = ControllerNamespace };

    public CallerAuthenticator CreateAuthenticator(AuthOptions? options = null)
    {
        var authenticator = new CallerAuthenticator(Client, Configs.Cache, Options(options), Time, Handler, Metrics, Logs);
        _owned.Add(authenticator);
        return authenticator;
    }

    public PoolAuthorizer CreateAuthorizer(AuthOptions? options = null) =>
        new(Client, Options(options), Time, Metrics, Logs.CreateLogger("authz"));

    /// <summary>
    /// Registers a token the fake API server's TokenReview authenticates as <paramref name="user"/>. Returns a JWT
    /// shaped like a bound ServiceAccount token (issuer <see cref="KubernetesIssuer"/>, an untrusted OIDC issuer).
    /// </summary>
    public string AddKubernetesToken(string user, string[]? groups = null, string[]? audiences = null)
    {
        var token = Issuer.CreateToken(new TestTokenOptions
        {
            Issuer = KubernetesIssuer,
            Subject = user,
            Audience = null,
            Audiences = audiences ?? [KubernetesIssuer],
            Type = null,
        });
        _tokens[token] = (user, groups ?? ["system:serviceaccounts", "system:authenticated"], audiences ?? [KubernetesIssuer]);
        return token;
    }

    public string Scrape() => Exporter.Scrape();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _informerRun.WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (OperationCanceledException)
        {
        }

        foreach (var owned in _owned)
        {
            owned.Dispose();
        }

        Exporter.Dispose();
        Metrics.Dispose();
        Handler.Dispose();
        await Issuer.DisposeAsync();
        Client.Dispose();
        await Server.DisposeAsync();
        _stop.Dispose();
    }

    /// <summary>
    /// Like the API server: a registered token is authenticated when the review asks for no audience (the server's
    /// default, <see cref="KubernetesIssuer"/>) or for audiences the token carries; <c>status.audiences</c> is the
    /// intersection.
    /// </summary>
    private TokenReviewStatus Review(TokenReviewSpec spec)
    {
        _tokenReviews.Enqueue(spec);
        if (spec.Token is null || !_tokens.TryGetValue(spec.Token, out var known))
        {
            return new TokenReviewStatus { Authenticated = false, Error = "invalid bearer token" };
        }

        var asked = spec.Audiences is { Count: > 0 } audiences ? audiences : [KubernetesIssuer];
        var granted = asked.Intersect(known.Audiences, StringComparer.Ordinal).ToList();
        return granted.Count == 0
            ? new TokenReviewStatus { Authenticated = false, Error = "token audiences is invalid for the target audiences" }
            : new TokenReviewStatus { Authenticated = true, User = new UserInfo { Username = known.User, Groups = [.. known.Groups] }, Audiences = granted };
    }
}
