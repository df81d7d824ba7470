using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using BuildKitController.Kubernetes.Models;
using BuildKitController.Kubernetes.Models.ApiExtensionsV1;
using BuildKitController.Kubernetes.Models.AuthenticationV1;
using BuildKitController.Kubernetes.Models.AuthorizationV1;
using BuildKitController.Kubernetes.Models.CoreV1;
using BuildKitController.Kubernetes.Yaml;
using BuildKitController.Testing.FakeKubernetes.Controllers;
using BuildKitController.Testing.FakeKubernetes.Gc;
using BuildKitController.Testing.FakeKubernetes.Http;
using BuildKitController.Testing.FakeKubernetes.Json;
using BuildKitController.Testing.FakeKubernetes.Operations;
using BuildKitController.Testing.FakeKubernetes.Registry;
using BuildKitController.Testing.FakeKubernetes.Security;
using BuildKitController.Testing.FakeKubernetes.Storage;
using BuildKitController.Testing.FakeKubernetes.Watch;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BuildKitController.Testing.FakeKubernetes;

/// <summary>
/// An in-process Kubernetes API server over HTTPS on 127.0.0.1: JSON CRUD, list/watch, patch (incl. server-side
/// apply), status subresources, finalizers, garbage collection, CRDs, TokenReview/SubjectAccessReview and faults.
/// </summary>
public sealed class FakeApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly FakeCertificateAuthority _authority;
    private readonly Authenticator _authenticator;
    private readonly ResourceService _service;
    private readonly WatchHub _watches;
    private readonly GarbageCollector _collector;
    private readonly ClusterSimulator _simulator;
    private readonly ReviewHandlers _reviews;
    private readonly CancellationTokenSource _shutdown;
    private int _disposed;

    private FakeApiServer(Components components, WebApplication app, Uri baseAddress)
    {
        _app = app;
        _authority = components.Authority;
        _authenticator = components.Authenticator;
        _service = components.Service;
        _watches = components.Watches;
        _collector = components.Collector;
        _simulator = components.Simulator;
        _reviews = components.Reviews;
        _shutdown = components.Shutdown;
        Faults = components.Faults;
        RequestLog = components.Log;
        BaseAddress = baseAddress;
    }

    /// <summary><c>https://127.0.0.1:port/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The CA that signed the serving certificate (and client certificates), as PEM.</summary>
    public string CertificateAuthorityPem => _authority.CertificatePem;

    /// <summary>The CA certificate.</summary>
    public X509Certificate2 CertificateAuthority => _authority.Certificate;

    /// <summary>A bearer token for user <c>admin</c> (group <c>system:masters</c>) valid from the start.</summary>
    public string AdminToken { get; } = $"admin-{Guid.NewGuid():N}";

    public FaultInjector Faults { get; }

    public RequestLog RequestLog { get; }

    /// <summary>The global resourceVersion counter (the last assigned version).</summary>
    public long CurrentResourceVersion
    {
        get
        {
            lock (_service.Store.Gate)
            {
                return _service.Store.CurrentResourceVersion;
            }
        }
    }

    /// <summary>How many events the history keeps (older resourceVersions get 410).</summary>
    public int HistoryLimit
    {
        get
        {
            lock (_service.Store.Gate)
            {
                return _service.Store.HistoryLimit;
            }
        }
        set
        {
            lock (_service.Store.Gate)
            {
                _service.Store.HistoryLimit = value;
            }
        }
    }

    /// <summary>Open watch streams.</summary>
    public int OpenWatchCount => _watches.Count;

    /// <summary>Answers TokenReview creations (default: not authenticated).</summary>
    public Func<TokenReviewSpec, TokenReviewStatus> TokenReviewHandler
    {
        get => _reviews.TokenReview;
        set => _reviews.TokenReview = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>Answers SubjectAccessReview creations (default: not allowed).</summary>
    public Func<SubjectAccessReviewSpec, SubjectAccessReviewStatus> SubjectAccessReviewHandler
    {
        get => _reviews.SubjectAccessReview;
        set => _reviews.SubjectAccessReview = value ?? throw new ArgumentNullException(nameof(value));
    }

    public static async Task<FakeApiServer> StartAsync(FakeApiServerOptions? options, CancellationToken cancellationToken)
    {
        options ??= new FakeApiServerOptions();
        var components = Components.Create(options);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(https =>
            {
                https.ServerCertificate = components.Authority.ServerCertificate;
                https.ClientCertificateMode = ClientCertificateMode.AllowCertificate;
                https.AllowAnyClientCertificate();
            }));
        });
        var app = builder.Build();
        var endpoints = new ResourceEndpoints(components.Service,
            new WatchEndpoint(components.Watches, options.TimeProvider, options.DefaultWatchTimeout, components.Shutdown.Token),
            components.Reviews, options.MaxRequestBodyBytes);
        var pipeline = new ApiPipeline(components.Authenticator, components.Faults, components.Log, components.Service.Registry, endpoints,
            options.TimeProvider, options.GitVersion);
        app.Run(pipeline.InvokeAsync);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(address).Port;
        var server = new FakeApiServer(components, app, new Uri($"https://127.0.0.1:{port}/"));
        server.AddToken(server.AdminToken, "admin", "system:masters", "system:authenticated");
        foreach (var ns in options.InitialNamespaces)
        {
            server.Seed(Namespace.Resource, new JsonObject
            {
                ["metadata"] = new JsonObject { ["name"] = ns },
                ["spec"] = new JsonObject { ["finalizers"] = new JsonArray("kubernetes") },
                ["status"] = new JsonObject { ["phase"] = "Active" },
            });
        }

        return server;
    }

    /// <summary>Accepts <paramref name="token"/> as a bearer token for <paramref name="userName"/>.</summary>
    public void AddToken(string token, string userName = "admin", params string[] groups) =>
        _authenticator.AddToken(token, new FakeUser(userName, groups));

    /// <summary>Revokes a token; returns whether it was known.</summary>
    public bool RemoveToken(string token) => _authenticator.RemoveToken(token);

    /// <summary>Revokes every token (including <see cref="AdminToken"/>).</summary>
    public void ClearTokens() => _authenticator.ClearTokens();

    /// <summary>Issues a client certificate the server accepts: CN = <paramref name="userName"/>, O = <paramref name="groups"/>.</summary>
    public ClientCertificate IssueClientCertificate(string userName, params string[] groups) =>
        _authority.IssueClientCertificate(userName, groups, TimeSpan.FromDays(1));

    /// <summary>An <see cref="HttpClient"/> that trusts the server's CA and authenticates with a token (default <see cref="AdminToken"/>) or a client certificate.</summary>
    public HttpClient CreateHttpClient(string? token = null, ClientCertificate? clientCertificate = null)
    {
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            certificate is X509Certificate2 presented && _authority.VerifyServer(presented);
        if (clientCertificate is not null)
        {
            handler.SslOptions.ClientCertificates = [clientCertificate.ToX509Certificate()];
        }

        var client = new HttpClient(handler) { BaseAddress = BaseAddress };
        if (clientCertificate is null || token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token ?? AdminToken);
        }

        return client;
    }

    /// <summary>A kubeconfig (YAML) for this server with a token or a client certificate.</summary>
    public string CreateKubeconfig(string? token = null, ClientCertificate? clientCertificate = null, string? defaultNamespace = null) =>
        KubeconfigWriter.Create(BaseAddress, CertificateAuthorityPem, clientCertificate is null ? token ?? AdminToken : token, clientCertificate, defaultNamespace);

    /// <summary>Writes <see cref="CreateKubeconfig"/> to <paramref name="path"/> and returns the path.</summary>
    public async Task<string> WriteKubeconfigAsync(string path, CancellationToken cancellationToken, string? token = null,
        ClientCertificate? clientCertificate = null, string? defaultNamespace = null)
    {
        await File.WriteAllTextAsync(path, CreateKubeconfig(token, clientCertificate, defaultNamespace), cancellationToken);
        return path;
    }

    /// <summary>The stored object (a copy), or null.</summary>
    public JsonObject? Get(ResourceType type, string? ns, string name)
    {
        var resource = Resolve(type);
        lock (_service.Store.Gate)
        {
            return _service.Store.Get(resource, resource.Namespaced ? ns ?? "" : "", name)?.CloneObject();
        }
    }

    /// <summary>Stored objects of a type (copies), optionally of one namespace, in key order.</summary>
    public IReadOnlyList<JsonObject> List(ResourceType type, string? ns = null)
    {
        var resource = Resolve(type);
        lock (_service.Store.Gate)
        {
            return [.. _service.Store.Items(resource, ns).Select(o => o.CloneObject())];
        }
    }

    /// <summary>Stores an object directly (no admission or validation), emitting a watch event; returns the stored copy.</summary>
    public JsonObject Seed(ResourceType type, JsonObject obj) => _service.Seed(Resolve(type), obj).CloneObject();

    /// <summary>Registers a CRD by creating the CustomResourceDefinition object, exactly as a client would.</summary>
    public JsonObject RegisterCustomResourceDefinition(JsonNode definition)
    {
        var resource = Resolve(CustomResourceDefinition.Resource);
        var body = definition as JsonObject ?? throw new ArgumentException("a CRD must be a JSON object", nameof(definition));
        var existing = Get(CustomResourceDefinition.Resource, null, body.Name());
        var request = new WriteRequest(resource, "", body.Name(), null, "fake-api-server");
        if (existing is null)
        {
            return _service.Create(request, body).CloneObject();
        }

        var update = body.CloneObject();
        update.Metadata()["resourceVersion"] = existing.MetaString("resourceVersion");
        return _service.Update(request, update).CloneObject();
    }

    /// <summary>Registers every CustomResourceDefinition document of a YAML file or of the *.yaml/*.yml files of a directory.</summary>
    public async Task<int> LoadCustomResourceDefinitionsAsync(string path, CancellationToken cancellationToken)
    {
        IEnumerable<string> files = Directory.Exists(path)
            ? Directory.EnumerateFiles(path, "*.*", SearchOption.AllDirectories).Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal)).Order(StringComparer.Ordinal)
            : [path];
        var count = 0;
        foreach (var file in files)
        {
            foreach (var document in YamlJson.ParseDocuments(await File.ReadAllTextAsync(file, cancellationToken)))
            {
                if (document is JsonObject obj && obj.GetString("kind") == CustomResourceDefinition.Resource.Kind)
                {
                    RegisterCustomResourceDefinition(obj);
                    count++;
                }
            }
        }

        return count;
    }

    /// <summary>Sends a BOOKMARK at the current resourceVersion to every watch that allows bookmarks.</summary>
    public void SendBookmarks() => _watches.SendBookmarks();

    /// <summary>Drops the history: older resourceVersions become too old for watches and continue tokens (410).</summary>
    public void Compact()
    {
        lock (_service.Store.Gate)
        {
            _service.Store.Compact();
        }
    }

    /// <summary>Completes when the garbage collector has processed every change so far, including the deletions it caused.</summary>
    public Task WaitForGarbageCollectionAsync(CancellationToken cancellationToken) => _collector.WaitForIdleAsync(cancellationToken);

    /// <summary>Completes when the garbage collector and the simulated kubelet and deployment controller have caught up.</summary>
    public async Task WaitForControllersAsync(CancellationToken cancellationToken)
    {
        await _simulator.WaitForIdleAsync(cancellationToken);
        await _collector.WaitForIdleAsync(cancellationToken);
        await _simulator.WaitForIdleAsync(cancellationToken);
    }

    /// <summary>Flips a running pod's readiness, as a failing or recovering readiness probe would (needs <see cref="FakeApiServerOptions.SimulateKubelet"/>).</summary>
    public bool SetPodReady(string ns, string name, bool ready) => _simulator.SetPodReady(ns, name, ready);

    /// <summary>Moves a pod to phase Failed, as if its containers exited.</summary>
    public bool FailPod(string ns, string name) => _simulator.FailPod(ns, name);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _watches.CloseAll();
        await _shutdown.CancelAsync();
        using (var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            try
            {
                await _app.StopAsync(stop.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }

        await _app.DisposeAsync();
        await _collector.DisposeAsync();
        await _simulator.DisposeAsync();
        _watches.Dispose();
        _authority.Dispose();
        _shutdown.Dispose();
    }

    private RegisteredResource Resolve(ResourceType type) =>
        _service.Registry.Find(type.Group, type.Version, type.Plural)
        ?? _service.Registry.FindAnyVersion(type.Group, type.Plural)
        ?? throw new ArgumentException($"the fake API server does not serve {type}", nameof(type));

    /// <summary>Everything the server is made of, wired together.</summary>
    private sealed record Components(
        FakeCertificateAuthority Authority,
        Authenticator Authenticator,
        ResourceService Service,
        WatchHub Watches,
        GarbageCollector Collector,
        ClusterSimulator Simulator,
        ReviewHandlers Reviews,
        FaultInjector Faults,
        RequestLog Log,
        CancellationTokenSource Shutdown)
    {
        public static Components Create(FakeApiServerOptions options)
        {
            var authority = FakeCertificateAuthority.Create();
            var registry = new ResourceRegistry();
            foreach (var resource in BuiltInResources.Create())
            {
                registry.Register(resource);
            }

            var store = new ObjectStore(options.HistoryLimit);
            var service = new ResourceService(store, registry, options.TimeProvider,
                new ServiceSettings(options.EnforceNamespaceExistence, options.EffectiveSchemaValidatorFactory));
            var watches = new WatchHub(store, options.TimeProvider, options.BookmarkInterval);
            var collector = new GarbageCollector(service, options.GarbageCollection);
            var simulator = new ClusterSimulator(service, options);
            var faults = new FaultInjector(watches.DropAll, () =>
            {
                lock (store.Gate)
                {
                    store.Compact();
                }
            });
            return new Components(authority, new Authenticator(authority), service, watches, collector, simulator, new ReviewHandlers(), faults,
                new RequestLog(), new CancellationTokenSource());
        }
    }
}
