using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using BuildKitController.Core.Api.V1Alpha1;
using BuildKitController.Kubernetes.Models.AuthenticationV1;
using BuildKitController.Operator.Api;
using BuildKitController.Operator.Auth;
using BuildKitController.Operator.Hosting;
using BuildKitController.Operator.Tests.Pools;
using Microsoft.Extensions.Logging.Abstractions;

namespace BuildKitController.Operator.Tests.Api;

/// <summary>
/// The controllers plus the allocation API on a loopback port against the fake API server. Bearer tokens
/// <c>&lt;name&gt;-token</c> are ServiceAccount tokens of <c>system:serviceaccount:default:&lt;name&gt;</c> per the fake
/// TokenReview; <c>admin-token</c> is in <c>system:masters</c>; anything else is refused.
/// </summary>
internal sealed class ApiHarness : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
    private readonly List<(ApiComponent Api, Task Run)> _replicas = [];
    private Task _run = Task.CompletedTask;

    private ApiHarness(PoolHarness pools) => Pools = pools;

    public PoolHarness Pools { get; }

    public ApiComponent Api { get; private set; } = null!;

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(60) };

    public Uri Address { get; private set; } = null!;

    public static async Task<ApiHarness> StartAsync()
    {
        var pools = await PoolHarness.StartAsync();
        pools.Server.TokenReviewHandler = Review;
        var harness = new ApiHarness(pools);
        harness.Api = new ApiComponent(pools.Client, pools.Time, BindAddress.Parse("127.0.0.1:0"), null, new ApiOptions(),
            new AuthOptions { ControllerNamespace = "buildkit-system" }, null, NullLoggerFactory.Instance);
        harness._run = harness.Api.RunAsync(harness._stop.Token);
        harness.Address = await harness.Api.Listening.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken) ?? throw new InvalidOperationException("the API did not start");
        return harness;
    }

    private static TokenReviewStatus Review(TokenReviewSpec spec) => spec.Token switch
    {
        "admin-token" => new() { Authenticated = true, User = new() { Username = "kubernetes-admin", Groups = ["system:masters", "system:authenticated"] } },
        { } token when token.EndsWith("-token", StringComparison.Ordinal) && !token.StartsWith("bad", StringComparison.Ordinal) =>
            new() { Authenticated = true, User = new() { Username = $"system:serviceaccount:default:{token[..^"-token".Length]}", Groups = ["system:serviceaccounts", "system:authenticated"] } },
        _ => new() { Authenticated = false, Error = "invalid bearer token" },
    };

    public static string User(string name) => $"system:serviceaccount:default:{name}";

    public Task<BuildKitPool> CreatePoolAsync(string name, params string[] users) => Pools.CreatePoolAsync(name, new BuildKitPoolSpec
    {
        Scaling = new ScalingConfig { Min = 0, Max = 3 },
        Auth = new AuthConfig { Rbac = new RbacConfig { Enabled = true, Rules = [new RbacRule { Users = [.. users.Select(User)], Pools = [name] }] } },
    });

    public Task ReadyAsync(string name) =>
        Pools.WaitForAsync<BuildKitPool>("default", name, p => p?.Status?.Gateway?.Ready == true && Api.HasSynced);

    /// <summary>A second API replica on the same cluster (its own informers and memory), as behind a Service with two controller pods.</summary>
    public async Task<Uri> StartSecondReplicaAsync()
    {
        var replica = new ApiComponent(Pools.Client, Pools.Time, BindAddress.Parse("127.0.0.1:0"), null, new ApiOptions(),
            new AuthOptions { ControllerNamespace = "buildkit-system" }, null, NullLoggerFactory.Instance);
        _replicas.Add((replica, replica.RunAsync(_stop.Token)));
        return await replica.Listening.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken) ?? throw new InvalidOperationException("the replica did not start");
    }

    public Task<(int Status, JsonNode? Body, HttpResponseMessage Response)> SendAsync(HttpMethod method, string path, string? token, string? json = null, string contentType = "application/json") =>
        SendAsync(Address, method, path, token, json, contentType);

    public async Task<(int Status, JsonNode? Body, HttpResponseMessage Response)> SendAsync(Uri address, HttpMethod method, string path, string? token, string? json = null, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, new Uri(address, path));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        return await SendAsync(request);
    }

    public async Task<(int Status, JsonNode? Body, HttpResponseMessage Response)> SendAsync(HttpRequestMessage request)
    {
        var response = await Http.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        JsonNode? body = null;
        if (response.Content.Headers.ContentType?.MediaType == "application/json")
        {
            body = JsonNode.Parse(text);
        }

        return ((int)response.StatusCode, body, response);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _run.WaitAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
        await Api.DisposeAsync();
        foreach (var (replica, run) in _replicas)
        {
            await run.WaitAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
            await replica.DisposeAsync();
        }

        Http.Dispose();
        _stop.Dispose();
        await Pools.DisposeAsync();
    }
}
