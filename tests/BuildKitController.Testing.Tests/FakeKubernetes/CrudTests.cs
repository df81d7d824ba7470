using System.Net;
using System.Text.Json.Nodes;
using BuildKitController.Kubernetes.Models.CoreV1;

namespace BuildKitController.Testing.Tests.FakeKubernetes;

public sealed class CrudTests
{
    [Fact]
    public async Task Create_sets_uid_creationTimestamp_generation_and_resourceVersion()
    {
        await using var cluster = await TestCluster.StartAsync();
        var (server, kube) = cluster;

        var created = await kube.CreateAsync(Objects.ConfigMaps, Objects.ConfigMap("one"));

        Assert.Equal("default", Json.Read(created, "metadata.namespace"));
        Assert.True(Guid.TryParse(Json.Read(created, "metadata.uid"), out _));
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", Json.Read(created, "metadata.creationTimestamp"));
        Assert.Equal("1", Json.Read(created, "metadata.generation"));
        Assert.Equal(server.CurrentResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), Json.Read(created, "metadata.resourceVersion"));
        var fetched = await kube.GetAsync($"{Objects.ConfigMaps}/one");
        Assert.Equal(HttpStatusCode.OK, fetched.Status);
        Assert.Equal("v", fetched.Text("data.key"));
        Assert.Equal("ConfigMap", fetched.Text("kind"));
    }

    [Fact]
    public async Task ResourceVersion_is_one_counter_across_kinds()
    {
        await using var cluster = await TestCluster.StartAsync();
        var (server, kube) = cluster;

        var first = await kube.CreateAsync(Objects.ConfigMaps, Objects.ConfigMap("a"));
        var second = await kube.CreateAsync(Objects.Pods, Objects.Pod("p"));
        var third = await kube.CreateAsync(Objects.Deployments, Objects.Deployment("d"));

        var versions = new[] { first, second, third }.Select(o => Json.Long(o, "metadata.resourceVersion")).ToList();
        Assert.Equal(versions.Order(), versions);
        Assert.Equal(versions.Count, versions.Distinct().Count());
        Assert.Equal(versions[^1], server.CurrentResourceVersion);
        var list = await kube.GetAsync(Objects.ConfigMaps);
        Assert.Equal(server.CurrentResourceVersion, Json.Long(list.Body, "metadata.resourceVersion"));
    }

    [Fact]
    public async Task GenerateName_appends_a_five_character_suffix()
    {
        await using var cluster = await TestCluster.StartAsync();
        var (server, kube) = cluster;
        var body = Objects.ConfigMap("");
        body["metadata"]!.AsObject().Remove("name");
        body["metadata"]!["generateName"] = "worker-";

        var first = await kube.CreateAsync(Objects.ConfigMaps, body);
        var second = await kube.CreateAsync(Objects.ConfigMaps, body);

        Assert.Matches("^worker-[bcdfghjklmnpqrstvwxz2456789]{5}$", Json.Read(first, "metadata.name"));
        Assert.NotEqual(Json.Read(first, "metadata.name"), Json.Read(second, "metadata.name"));
    }

    [Fact]
    public async Task Create_of_an_existing_name_returns_409_AlreadyExists()
    {
        await using var cluster = await TestCluster.StartAsync();
        var (server, kube) = cluster;
        await kube.CreateAsync(Objects.ConfigMaps, Objects.ConfigMap("dup"));

        var again = await kube.PostAsync(Objects.ConfigMaps, Objects.ConfigMap("dup"));

        Assert.Equal(HttpStatusCode.Conflict, again.Status);
        StatusAssert.Failure(again, 409, "AlreadyExists", "configmaps \"dup\" already exists");
        Assert.Equal("dup", again.Text("details.name"));
        Assert.Equal("configmaps", again.Text("details.kind"));
        Assert.Null(again.Text("details.group"));
    }

    [Fact]
    public async Task Get_of_a_missing_object_returns_404_with_group_qualified_message()
    {
        await using var cluster = await TestCluster.StartAsync();
        var (server, kube) = cluster;

        var core = await kube.GetAsync($"{Objects.ConfigMaps}/nope");
        var apps = await kube.GetAsync($"{Objects.Deployments}/nope");

        StatusAssert.Failure(core, 404, "NotFound", "configmaps \"nope\" not found");
        StatusAssert.Failure(apps, 404, "NotFound", "deployments.apps \"nope\" not found");
        Assert.Equal("apps", apps.Text("details.group"));
        Assert.Equal("deployments", apps.Text("details.kind"));
    }

    [Fact]
    public async Task Unknown_resource_returns_404_the_server_could_not_find_the_requested_resource()
    {
        await using var cluster = await TestCluster.StartAsync();
        var (server, kube) = cluster;

        var response = await kube.GetAsync("/apis/example.com/v1/namespaces/default/widgets");

        StatusAssert.Failure(response, 404, "NotFound", "the server could not find the requested resource");
    }

    [Fact]
    public async Task Namespace_in_body_different_from_URL_returns_400()
    {
        await using var cluster = await TestCluster.StartAsync();
        var (server, kube) = cluster;
        var body = Objects.ConfigMap("x");
        body["metadata"]!["namespace"] = "other";

        var response = await kube.PostAsync(Objects.ConfigMaps, body);

        StatusAssert.Failure(response, 400, "BadRequest", "the namespace of the provided object does not match the namespace sent on the request");
    }

    [Fact]
    public async Task Missing_name_returns_422_Invalid_with_causes()
    {
        await using var cluster = await TestCluster.StartAsync();
        var (server, kube) = cluster;
        var body = Objects.ConfigMap("x");
        body["metadata"]!.AsObject().Remove("name");

        var response = await kube.PostAsync(Objects.ConfigMaps, body);

        StatusAssert.Failure(response, 422, "Invalid", "ConfigMap \"\" is invalid: metadata.name: Required value: name or generateName is required");
        Assert.Equal("ConfigMap", response.Text("details.kind"));
        Assert.Equal("FieldValueRequired", response.Text("details.causes.0.reason"));
        Assert.Equal("metadata.name", response.Text("details.causes.0.field"));
    }

    [Fact]
    public async Task Invalid_name_and_label_value_return_422()
    {
        await using var cluster = await TestCluster.StartAsync();
        var (server, kube) = cluster;

        var badName = await kube.PostAsync(Objects.ConfigMaps, Objects.ConfigMap("Bad_Name"));
        var badLabel = await kube.PostAsync(Objects.ConfigMaps, Objects.ConfigMap("ok", new() { ["app"] = "-bad value" }));

        StatusAssert.Failure(badName, 422, "Invalid", "ConfigMap \"Bad_Name\" is invalid: metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain");
        StatusAssert.Failure(badLabel, 422, "Invalid", "ConfigMap \"ok\" is invalid: metadata.labels: Invalid value: \"-bad value\": a valid label must be");
    }

    [Fact]
    public async Task Create_in_a_missing_namespace_returns_404_for_the_namespace()
    {
        await using var cluster = await TestCluster.StartAsync();
        var (server, kube) = cluster;

        var response = await kube.PostAsync("/api/v1/namespaces/ghost/configmaps", Objects.ConfigMap("x"));

        StatusAssert.Failure(response, 404, "NotFound", "namespaces \"ghost\" not found");
    }

    [Fact]
    public async Task Update_with_stale_resourceVersion_returns_409_Conflict()
    {
        await using var cluster = await TestCluster.StartAsync();
        var (server, kube) = cluster;
        var created = await kube.CreateAsync(Objects.Deployments, Objects.Deployment("web"));
        var first = created.DeepClone().AsObject();
        first["spec"]!["replicas"] = 2;
        Assert.Equal(HttpStatusCode.OK, (await kube.PutAsync($"{Objects.Deployments}/web", first)).Status);

        var stale = created.DeepClone().AsObject();
        stale["spec"]!["replicas"] = 3;
        var response = await kube.PutAsync($"{Objects.Deployments}/web", stale);

        StatusAssert.Failure(response, 409, "Conflict",
            "Operation cannot be fulfilled on deployments.apps \"web\": the object has been modified; please apply your changes to the latest version and try again");
        Assert.Equal("2", Json.Read(server.Get(Kubernetes.Models.AppsV1.Deployment.Resource, "default", "web"), "spec.replicas"));
    }

    [Fact]
    public async Task Update_without_resourceVersion_is_unconditional_for_built_in_kinds()
    {
        await using var cluster = await TestCluster.StartAsync();
        var (server, kube) = cluster;
        await kube.CreateAsync(Objects.ConfigMaps, Objects.ConfigMap("cm"));

        var response = await kube.PutAsync($"{Objects.ConfigMaps}/cm", Objects.ConfigMap("cm", value: "changed"));

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("changed", response.Text("data.key"));
    }

    [Fact]
    public async Task Update_of_a_missing_object_returns_404()
    {
        await using var cluster = await TestCluster.StartAsync();
        var (server, kube) = cluster;

        var response = await kube.PutAsync($"{Objects.ConfigMaps}/missing", Objects.ConfigMap("missing"));

        StatusAssert.Failure(response, 404, "NotFound", "configmaps \"missing\" not found");
    }

    [Fact]
    public async Task Update_keeps_uid_and_creationTimestamp()
    {
        await using var cluster = await TestCluster.StartAsync();
        var (server, kube) = cluster;
        var created = await kube.CreateAsync(Objects.ConfigMaps, Objects.ConfigMap("cm"));
        var update = created.DeepClone().AsObject();
        update["metadata"]!["creationTimestamp"] = "2000-01-01T00:00:00Z";
        update["data"]!["key"] = "w";

        var response = await kube.PutAsync($"{Objects.ConfigMaps}/cm", update);

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal(Json.Read(created, "metadata.uid"), response.Text("metadata.uid"));
        Assert.Equal(Json.Read(created, "metadata.creationTimestamp"), response.Text("metadata.creationTimestamp"));
    }

    [Fact]
    public async Task Update_with_a_different_uid_returns_409_precondition_failure()
    {
        await using var cluster = await TestCluster.StartAsync();
        var (server, kube) = cluster;
        var created = await kube.CreateAsync(Objects.ConfigMaps, Objects.ConfigMap("cm"));
        var update = created.DeepClone().AsObject();
        update["metadata"]!["uid"] = "00000000-0000-0000-0000-000000000000";

        var response = await kube.PutAsync($"{Objects.ConfigMaps}/cm", update);

        StatusAssert.Failure(response, 409, "Conflict", "Operation cannot be fulfilled on configmaps \"cm\": Precondition failed: UID in precondition: 00000000-0000-0000-0000-000000000000, UID in object meta: ");
    }

    [Fact]
    public async Task Generation_bumps_only_when_the_spec_changes()
    {
        await using var cluster = await TestCluster.StartAsync();
        var (server, kube) = cluster;
        var created = await kube.CreateAsync(Objects.Deployments, Objects.Deployment("web"));

        var labelOnly = created.DeepClone().AsObject();
        labelOnly["metadata"]!["labels"]!["extra"] = "yes";
        var afterLabel = (await kube.PutAsync($"{Objects.Deployments}/web", labelOnly)).Object;
        var specChange = afterLabel.DeepClone().AsObject();
        specChange["spec"]!["replicas"] = 5;
        var afterSpec = (await kube.PutAsync($"{Objects.Deployments}/web", specChange)).Object;

        Assert.Equal("1", Json.Read(afterLabel, "metadata.generation"));
        Assert.True(Json.Long(afterLabel, "metadata.resourceVersion") > Json.Long(created, "metadata.resourceVersion"));
        Assert.Equal("2", Json.Read(afterSpec, "metadata.generation"));
    }

    [Fact]
    public async Task Noop_update_keeps_the_resourceVersion()
    {
        await using var cluster = await TestCluster.StartAsync();
        var (server, kube) = cluster;
        var created = await kube.CreateAsync(Objects.ConfigMaps, Objects.ConfigMap("cm"));
        var before = server.CurrentResourceVersion;

        var response = await kube.PutAsync($"{Objects.ConfigMaps}/cm", created);

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal(Json.Read(created, "metadata.resourceVersion"), response.Text("metadata.resourceVersion"));
        Assert.Equal(before, server.CurrentResourceVersion);
    }

    [Fact]
    public async Task List_items_of_built_in_kinds_omit_apiVersion_and_kind()
    {
        await using var cluster = await TestCluster.StartAsync();
        var (server, kube) = cluster;
        await kube.CreateAsync(Objects.ConfigMaps, Objects.ConfigMap("cm"));

        var list = await kube.GetAsync(Objects.ConfigMaps);

        Assert.Equal("ConfigMapList", list.Text("kind"));
        Assert.Equal("v1", list.Text("apiVersion"));
        Assert.Equal("cm", list.Text("items.0.metadata.name"));
        Assert.Null(list.Text("items.0.kind"));
        Assert.Null(list.Text("items.0.apiVersion"));
    }

    [Fact]
    public async Task Cluster_wide_list_spans_namespaces_and_cluster_scoped_kinds_live_under_api_v1()
    {
        await using var cluster = await TestCluster.StartAsync();
        var (server, kube) = cluster;
        await kube.CreateAsync("/api/v1/namespaces", Json.Parse("""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"team"}}"""));
        await kube.CreateAsync(Objects.ConfigMaps, Objects.ConfigMap("a"));
        await kube.CreateAsync("/api/v1/namespaces/team/configmaps", Objects.ConfigMap("b"));

        var all = await kube.GetAsync("/api/v1/configmaps");
        var ns = await kube.GetAsync("/api/v1/namespaces/team");

        Assert.Equal(["default/a", "team/b"], all.Object["items"]!.AsArray().Select(i => $"{Json.Read(i, "metadata.namespace")}/{Json.Read(i, "metadata.name")}"));
        Assert.Equal("Active", ns.Text("status.phase"));
        Assert.Null(ns.Text("metadata.namespace"));
    }

    [Fact]
    public async Task Malformed_JSON_returns_400_and_the_server_keeps_serving()
    {
        await using var cluster = await TestCluster.StartAsync();
        var (server, kube) = cluster;

        var broken = await kube.SendAsync(HttpMethod.Post, Objects.ConfigMaps, "{\"metadata\": {", "application/json");
        var array = await kube.SendAsync(HttpMethod.Post, Objects.ConfigMaps, "[1,2]", "application/json");
        var patch = await kube.PatchAsync($"{Objects.ConfigMaps}/x", "application/merge-patch+json", "not json");

        Assert.Equal(HttpStatusCode.BadRequest, broken.Status);
        Assert.Equal("BadRequest", broken.Text("reason"));
        Assert.Equal(HttpStatusCode.BadRequest, array.Status);
        Assert.Equal(HttpStatusCode.BadRequest, patch.Status);
        Assert.Equal(HttpStatusCode.OK, (await kube.GetAsync(Objects.ConfigMaps)).Status);
    }

    [Fact]
    public async Task Body_over_3_MiB_returns_413()
    {
        await using var cluster = await TestCluster.StartAsync();
        var (server, kube) = cluster;
        var body = Objects.ConfigMap("big", value: new string('x', 3 * 1024 * 1024));

        var response = await kube.PostAsync(Objects.ConfigMaps, body);

        StatusAssert.Failure(response, 413, "RequestEntityTooLarge", "Request entity too large: limit is 3145728");
        Assert.Null(server.Get(ConfigMap.Resource, "default", "big"));
    }

    [Fact]
    public async Task Wrong_kind_in_body_returns_400()
    {
        await using var cluster = await TestCluster.StartAsync();
        var (server, kube) = cluster;
        var body = Objects.ConfigMap("x");
        body["kind"] = "Secret";

        var response = await kube.PostAsync(Objects.ConfigMaps, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
    }

    [Fact]
    public async Task Discovery_lists_groups_and_resources()
    {
        await using var cluster = await TestCluster.StartAsync();
        var (server, kube) = cluster;

        var version = await kube.GetAsync("/version");
        var core = await kube.GetAsync("/api/v1");
        var groups = await kube.GetAsync("/apis");
        var apps = await kube.GetAsync("/apis/apps/v1");
        using var health = await kube.Http.GetAsync("/healthz", TestContext.Current.CancellationToken);

        Assert.Equal("v1.32.0", version.Text("gitVersion"));
        Assert.Contains(core.Object["resources"]!.AsArray(), r => Json.Read(r, "name") == "pods/status");
        Assert.Contains(groups.Object["groups"]!.AsArray(), g => Json.Read(g, "name") == "coordination.k8s.io");
        Assert.Contains(apps.Object["resources"]!.AsArray(), r => Json.Read(r, "name") == "deployments" && Json.Read(r, "kind") == "Deployment");
        Assert.Equal("ok", await health.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Request_log_records_method_path_content_type_user_agent_and_status()
    {
        await using var cluster = await TestCluster.StartAsync();
        var (server, kube) = cluster;
        kube.Http.DefaultRequestHeaders.UserAgent.ParseAdd("bkc-test/1.0");

        await kube.PostAsync(Objects.ConfigMaps, Objects.ConfigMap("cm"));
        await kube.GetAsync($"{Objects.ConfigMaps}?limit=5");

        var entries = server.RequestLog.Entries;
        Assert.Contains(entries, e => e is { Method: "POST", StatusCode: 201, User: "admin" } && e.ContentType!.StartsWith("application/json", StringComparison.Ordinal) && e.UserAgent == "bkc-test/1.0");
        Assert.Contains(entries, e => e.PathAndQuery == $"{Objects.ConfigMaps}?limit=5" && e.StatusCode == 200);
    }

    [Fact]
    public async Task Seed_and_Get_access_storage_directly()
    {
        await using var cluster = await TestCluster.StartAsync();
        var (server, kube) = cluster;

        var seeded = server.Seed(ConfigMap.Resource, Objects.ConfigMap("seeded").Also(o => o["metadata"]!["namespace"] = "default"));
        var fetched = await kube.GetAsync($"{Objects.ConfigMaps}/seeded");

        Assert.Equal(Json.Read(seeded, "metadata.uid"), fetched.Text("metadata.uid"));
        Assert.Single(server.List(ConfigMap.Resource, "default"));
    }

    [Fact]
    public async Task Concurrent_updates_from_one_resourceVersion_let_exactly_one_win()
    {
        await using var cluster = await TestCluster.StartAsync();
        var (server, kube) = cluster;
        var created = await kube.CreateAsync(Objects.Deployments, Objects.Deployment("web"));

        var responses = await Task.WhenAll(Enumerable.Range(2, 20).Select(replicas =>
        {
            var update = created.DeepClone().AsObject();
            update["spec"]!["replicas"] = replicas;
            return kube.PutAsync($"{Objects.Deployments}/web", update);
        }));

        var winner = Assert.Single(responses, r => r.Status == HttpStatusCode.OK);
        Assert.All(responses.Where(r => r != winner), r => Assert.Equal(HttpStatusCode.Conflict, r.Status));
        Assert.Equal(winner.Text("spec.replicas"), Json.Read(server.Get(Kubernetes.Models.AppsV1.Deployment.Resource, "default", "web"), "spec.replicas"));
    }

    [Fact]
    public async Task Concurrent_unconditional_patches_of_one_object_are_all_kept()
    {
        await using var cluster = await TestCluster.StartAsync();
        var (server, kube) = cluster;
        await kube.CreateAsync(Objects.ConfigMaps, Objects.ConfigMap("shared"));

        var responses = await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
            kube.PatchAsync($"{Objects.ConfigMaps}/shared", "application/merge-patch+json", new JsonObject { ["metadata"] = new JsonObject { ["labels"] = new JsonObject { [$"writer-{i}"] = "yes" } } }.ToJsonString())));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.Status));
        var stored = server.Get(ConfigMap.Resource, "default", "shared");
        Assert.All(Enumerable.Range(0, 40), i => Assert.Equal("yes", Json.Read(stored, $"metadata.labels.writer-{i}")));
        var versions = responses.Select(r => Json.Long(r.Body, "metadata.resourceVersion")).ToList();
        Assert.Equal(versions.Count, versions.Distinct().Count());
    }
}
