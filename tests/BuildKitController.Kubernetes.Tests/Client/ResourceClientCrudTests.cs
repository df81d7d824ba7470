using System.Text.Json.Nodes;
using BuildKitController.Kubernetes.Client;
using BuildKitController.Kubernetes.Configuration;
using BuildKitController.Kubernetes.Errors;
using BuildKitController.Kubernetes.Models;
using BuildKitController.Kubernetes.Models.AppsV1;
using BuildKitController.Kubernetes.Models.CoreV1;
using BuildKitController.Kubernetes.Tests.Support;

namespace BuildKitController.Kubernetes.Tests.Client;

public sealed class ResourceClientCrudTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ConfigMap NewConfigMap(string name, Dictionary<string, string>? labels = null) => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = "default", Labels = labels },
        Data = new() { ["k"] = "v" },
    };

    /// <summary>Creates <c>cm-0</c> … <c>cm-{count-1}</c> in <c>default</c>.</summary>
    private static async Task CreateConfigMapsAsync(ResourceClient<ConfigMap> configMaps, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await configMaps.CreateAsync(NewConfigMap($"cm-{i}"), Ct);
        }
    }

    [Fact]
    public async Task Create_get_update_delete_round_trip()
    {
        await using var cluster = await FakeCluster.StartAsync();
        var configMaps = cluster.CreateClient().For<ConfigMap>();

        var created = await configMaps.CreateAsync(NewConfigMap("a"), Ct);
        Assert.False(string.IsNullOrEmpty(created.Metadata.Uid));
        Assert.NotNull(created.Metadata.CreationTimestamp);

        var read = await configMaps.GetAsync("default", "a", Ct);
        read.Data!["k"] = "changed";
        var updated = await configMaps.UpdateAsync(read, Ct);
        Assert.Equal("changed", updated.Data!["k"]);
        Assert.True(long.Parse(updated.Metadata.ResourceVersion!, System.Globalization.CultureInfo.InvariantCulture)
            > long.Parse(created.Metadata.ResourceVersion!, System.Globalization.CultureInfo.InvariantCulture));

        await configMaps.DeleteAsync("default", "a", null, Ct);
        Assert.Null(await configMaps.TryGetAsync("default", "a", Ct));
        Assert.False(await configMaps.DeleteIfExistsAsync("default", "a", null, Ct));
    }

    [Fact]
    public async Task Writes_without_a_namespace_use_the_kubeconfig_namespace()
    {
        await using var cluster = await FakeCluster.StartAsync();
        var configMaps = cluster.CreateClient(defaultNamespace: "kube-public").For<ConfigMap>();

        var created = await configMaps.CreateAsync(new ConfigMap { Metadata = new ObjectMeta { Name = "x" } }, Ct);

        Assert.Equal("kube-public", created.Metadata.Namespace);
    }

    [Fact]
    public async Task A_stale_update_surfaces_as_Conflict()
    {
        await using var cluster = await FakeCluster.StartAsync();
        var configMaps = cluster.CreateClient().For<ConfigMap>();
        var original = await configMaps.CreateAsync(NewConfigMap("a"), Ct);
        var first = await configMaps.GetAsync("default", "a", Ct);
        first.Data!["k"] = "first";
        await configMaps.UpdateAsync(first, Ct);

        original.Data!["k"] = "stale";
        var error = await Assert.ThrowsAsync<KubernetesConflictException>(() => configMaps.UpdateAsync(original, Ct));

        Assert.Equal(409, error.Status.Code);
        Assert.Contains("the object has been modified", error.Message, StringComparison.Ordinal);
        Assert.Equal("first", (await configMaps.GetAsync("default", "a", Ct)).Data!["k"]);
    }

    [Fact]
    public async Task Creating_an_existing_name_is_AlreadyExists_and_a_missing_object_is_NotFound()
    {
        await using var cluster = await FakeCluster.StartAsync();
        var configMaps = cluster.CreateClient().For<ConfigMap>();
        await configMaps.CreateAsync(NewConfigMap("a"), Ct);

        await Assert.ThrowsAsync<KubernetesAlreadyExistsException>(() => configMaps.CreateAsync(NewConfigMap("a"), Ct));
        var missing = await Assert.ThrowsAsync<KubernetesNotFoundException>(() => configMaps.GetAsync("default", "nope", Ct));
        Assert.Equal("nope", missing.Status.Details?.Name);
    }

    [Fact]
    public async Task Unknown_fields_survive_a_read_modify_write()
    {
        await using var cluster = await FakeCluster.StartAsync();
        cluster.Server.Seed(Deployment.Resource, JsonNode.Parse("""
            {"apiVersion":"apps/v1","kind":"Deployment",
             "metadata":{"name":"d","namespace":"default","futureMeta":{"x":1}},
             "spec":{"replicas":1,"selector":{"matchLabels":{"app":"d"}},"futureSpecField":"keep-me",
                     "template":{"metadata":{"labels":{"app":"d"}},
                                 "spec":{"containers":[{"name":"c","image":"i","futureContainerField":[1,2]}],"futurePodField":true}}}}
            """)!.AsObject());
        var deployments = cluster.CreateClient().For<Deployment>();

        var deployment = await deployments.GetAsync("default", "d", Ct);
        deployment.Spec!.Replicas = 3;
        await deployments.UpdateAsync(deployment, Ct);

        var stored = cluster.Server.Get(Deployment.Resource, "default", "d")!;
        Assert.Equal(3, stored["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal("keep-me", stored["spec"]!["futureSpecField"]!.GetValue<string>());
        Assert.True(stored["spec"]!["template"]!["spec"]!["futurePodField"]!.GetValue<bool>());
        Assert.Equal(2, stored["spec"]!["template"]!["spec"]!["containers"]![0]!["futureContainerField"]!.AsArray().Count);
        Assert.Equal(1, stored["metadata"]!["futureMeta"]!["x"]!.GetValue<int>());
    }

    [Fact]
    public async Task Label_selectors_filter_lists()
    {
        await using var cluster = await FakeCluster.StartAsync();
        var configMaps = cluster.CreateClient().For<ConfigMap>();
        await configMaps.CreateAsync(NewConfigMap("a", new() { ["tier"] = "web" }), Ct);
        await configMaps.CreateAsync(NewConfigMap("b", new() { ["tier"] = "db" }), Ct);
        await configMaps.CreateAsync(NewConfigMap("c"), Ct);

        var list = await configMaps.ListAsync("default", new ListOptions { LabelSelector = "tier in (web,db),tier!=db" }, Ct);

        Assert.Equal(["a"], list.Items.Select(i => i.Metadata.Name));
        Assert.False(string.IsNullOrEmpty(list.Metadata.ResourceVersion));
    }

    [Fact]
    public async Task ListAll_follows_continue_tokens_over_several_pages()
    {
        await using var cluster = await FakeCluster.StartAsync();
        var configMaps = cluster.CreateClient().For<ConfigMap>();
        await CreateConfigMapsAsync(configMaps, 7);

        cluster.Server.RequestLog.Clear();
        var all = await configMaps.ListAllAsync("default", null, Ct, pageSize: 3);

        Assert.Equal(7, all.Items.Count);
        Assert.Equal(7, all.Items.Select(i => i.Metadata.Name).Distinct().Count());
        var pages = cluster.Server.RequestLog.Entries.Where(e => e.Path.EndsWith("/configmaps", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, pages.Count);
        Assert.Equal(2, pages.Count(p => p.PathAndQuery.Contains("continue=", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task ListAll_maps_each_page_as_it_arrives()
    {
        await using var cluster = await FakeCluster.StartAsync();
        var configMaps = cluster.CreateClient().For<ConfigMap>();
        await CreateConfigMapsAsync(configMaps, 7);

        // The map sees a page's items before the next page is requested: it records how many list requests had been
        // made when it ran, and returns a reduced copy (what an informer keeps).
        cluster.Server.RequestLog.Clear();
        var seenAt = new List<int>();
        var all = await configMaps.ListAllAsync("default", null, Ct, pageSize: 3, map: item =>
        {
            seenAt.Add(cluster.Server.RequestLog.Entries.Count(e => e.Path.EndsWith("/configmaps", StringComparison.Ordinal)));
            return new ConfigMap { Metadata = item.Metadata };
        });

        Assert.Equal([1, 1, 1, 2, 2, 2, 3], seenAt);
        Assert.Equal(7, all.Items.Count);
        Assert.All(all.Items, i => Assert.Null(i.Data));
    }

    [Fact]
    public async Task ListAll_relists_without_paging_when_the_continue_token_expires()
    {
        await using var cluster = await FakeCluster.StartAsync();
        var configMaps = cluster.CreateClient().For<ConfigMap>();
        await CreateConfigMapsAsync(configMaps, 4);

        // Hold the second page, expire the first page's continue token meanwhile, then let it through.
        var lists = 0;
        var secondPage = cluster.Server.Faults.Hold(r => r.Verb == "list" && r.Resource == "configmaps" && Interlocked.Increment(ref lists) == 2, count: 1);
        var listing = configMaps.ListAllAsync("default", null, Ct, pageSize: 2);
        await secondPage.WaitForHeldAsync(1, Ct).WaitAsync(TimeSpan.FromSeconds(30), Ct);
        await configMaps.CreateAsync(NewConfigMap("cm-late"), Ct);
        cluster.Server.Compact();
        secondPage.Release();

        var all = await listing;

        Assert.Equal(5, all.Items.Count);
        Assert.Contains(cluster.Server.RequestLog.Entries, e => e.StatusCode == 410);
    }

    [Fact]
    public async Task Delete_preconditions_that_no_longer_hold_are_Conflict()
    {
        await using var cluster = await FakeCluster.StartAsync();
        var configMaps = cluster.CreateClient().For<ConfigMap>();
        await configMaps.CreateAsync(NewConfigMap("a"), Ct);

        await Assert.ThrowsAsync<KubernetesConflictException>(() => configMaps.DeleteAsync(
            "default", "a", new DeleteOptions { Preconditions = new Preconditions { Uid = Guid.NewGuid().ToString() } }, Ct));

        Assert.NotNull(await configMaps.TryGetAsync("default", "a", Ct));
    }

    [Fact]
    public async Task Status_subresource_updates_change_only_status()
    {
        await using var cluster = await FakeCluster.StartAsync();
        var deployments = cluster.CreateClient().For<Deployment>();
        var created = await deployments.CreateAsync(new Deployment
        {
            Metadata = new ObjectMeta { Name = "d", Namespace = "default" },
            Spec = new DeploymentSpec
            {
                Replicas = 1,
                Selector = new LabelSelector { MatchLabels = new() { ["app"] = "d" } },
                Template = new PodTemplateSpec
                {
                    Metadata = new ObjectMeta { Labels = new() { ["app"] = "d" } },
                    Spec = new PodSpec { Containers = [new Container { Name = "c", Image = "i" }] },
                },
            },
        }, Ct);

        created.Status = new DeploymentStatus { ReadyReplicas = 1, Replicas = 1 };
        created.Spec!.Replicas = 5;
        var updated = await deployments.UpdateStatusAsync(created, Ct);

        Assert.Equal(1, updated.Status?.ReadyReplicas);
        Assert.Equal(1, updated.Spec!.Replicas);
        Assert.Equal(1, updated.Metadata.Generation);
    }

    [Fact]
    public async Task Client_certificate_authentication_from_kubeconfig_works()
    {
        await using var cluster = await FakeCluster.StartAsync();
        var certificate = cluster.Server.IssueClientCertificate("alice", "system:masters");
        var configuration = KubeconfigLoader.LoadFromString(cluster.Server.CreateKubeconfig(clientCertificate: certificate));
        var configMaps = cluster.CreateClient(configuration).For<ConfigMap>();

        await configMaps.CreateAsync(NewConfigMap("a"), Ct);

        Assert.Contains(cluster.Server.RequestLog.Entries, e => e.User == "alice" && e.Method == "POST");
    }

    [Fact]
    public async Task A_server_certificate_from_another_CA_is_refused()
    {
        await using var cluster = await FakeCluster.StartAsync();
        await using var other = await FakeCluster.StartAsync();
        var configuration = KubeconfigLoader.LoadFromString(cluster.Server.CreateKubeconfig()) with
        {
            CertificateAuthorities = [other.Server.CertificateAuthority],
        };
        var configMaps = cluster.CreateClient(configuration, new KubernetesClientOptions { MaxRetries = 0, QueriesPerSecond = 0 }).For<ConfigMap>();

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => configMaps.ListAsync("default", null, Ct));
        Assert.Equal(HttpRequestError.SecureConnectionError, error.HttpRequestError);
    }

    [Fact]
    public async Task An_invalid_token_is_Unauthorized()
    {
        await using var cluster = await FakeCluster.StartAsync();
        var configMaps = cluster.CreateClient(token: "not-a-token").For<ConfigMap>();

        await Assert.ThrowsAsync<KubernetesUnauthorizedException>(() => configMaps.ListAsync("default", null, Ct));
    }
}
