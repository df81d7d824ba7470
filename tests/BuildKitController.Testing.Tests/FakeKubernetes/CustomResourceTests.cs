using System.Net;
using System.Text.Json.Nodes;
using BuildKitController.Kubernetes.Yaml;

namespace BuildKitController.Testing.Tests.FakeKubernetes;

public sealed class CustomResourceTests
{
    public const string Workers = "/apis/buildkit.smrt-devops.net/v1alpha1/namespaces/default/buildkitworkers";

    public const string Definition = """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: buildkitworkers.buildkit.smrt-devops.net
        spec:
          group: buildkit.smrt-devops.net
          scope: Namespaced
          names: {plural: buildkitworkers, singular: buildkitworker, kind: BuildKitWorker, listKind: BuildKitWorkerList}
          versions:
          - name: v1alpha1
            served: true
            storage: true
            subresources: {status: {}}
            schema:
              openAPIV3Schema:
                type: object
                properties:
                  spec:
                    type: object
                    properties:
                      pool: {type: string}
                      ports:
                        type: array
                        x-kubernetes-list-type: map
                        x-kubernetes-list-map-keys: [name]
                        items:
                          type: object
                          properties:
                            name: {type: string}
                            port: {type: integer}
                      tags:
                        type: array
                        x-kubernetes-list-type: set
                        items: {type: string}
                  status:
                    type: object
                    x-kubernetes-preserve-unknown-fields: true
        """;

    internal static JsonObject Worker(string name) => new()
    {
        ["apiVersion"] = "buildkit.smrt-devops.net/v1alpha1",
        ["kind"] = "BuildKitWorker",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = new JsonObject { ["pool"] = "p1" },
    };

    internal static async Task<TestCluster> StartWithDefinitionAsync()
    {
        var cluster = await TestCluster.StartAsync();
        var crd = YamlJson.ParseSingle(Definition);
        var created = await cluster.Kube.CreateAsync("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd.AsObject());
        Assert.Equal("BuildKitWorker", Json.Read(created, "spec.names.kind"));
        return cluster;
    }

    [Fact]
    public async Task Creating_a_CRD_object_serves_the_custom_resource_and_marks_it_established()
    {
        await using var cluster = await StartWithDefinitionAsync();
        var kube = cluster.Kube;

        var created = await kube.CreateAsync(Workers, Worker("w1"));
        var list = await kube.GetAsync(Workers);
        var crd = await kube.GetAsync("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/buildkitworkers.buildkit.smrt-devops.net");
        var discovery = await kube.GetAsync("/apis/buildkit.smrt-devops.net/v1alpha1");

        Assert.Equal("1", Json.Read(created, "metadata.generation"));
        Assert.Equal("BuildKitWorkerList", list.Text("kind"));
        Assert.Equal("BuildKitWorker", list.Text("items.0.kind"));
        Assert.Contains(crd.Object["status"]!["conditions"]!.AsArray(), c => Json.Read(c, "type") == "Established" && Json.Read(c, "status") == "True");
        Assert.Contains(discovery.Object["resources"]!.AsArray(), r => Json.Read(r, "name") == "buildkitworkers/status");
    }

    [Fact]
    public async Task Update_of_a_custom_resource_without_resourceVersion_returns_422()
    {
        await using var cluster = await StartWithDefinitionAsync();
        await cluster.Kube.CreateAsync(Workers, Worker("w1"));

        var response = await cluster.Kube.PutAsync($"{Workers}/w1", Worker("w1"));

        StatusAssert.Failure(response, 422, "Invalid",
            "BuildKitWorker.buildkit.smrt-devops.net \"w1\" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update");
    }

    [Fact]
    public async Task Strategic_merge_patch_on_a_custom_resource_returns_415()
    {
        await using var cluster = await StartWithDefinitionAsync();
        await cluster.Kube.CreateAsync(Workers, Worker("w1"));

        var response = await cluster.Kube.PatchAsync($"{Workers}/w1", "application/strategic-merge-patch+json", """{"spec":{"pool":"p2"}}""");

        StatusAssert.Failure(response, 415, "UnsupportedMediaType",
            "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml");
    }

    [Fact]
    public async Task Deleting_the_CRD_removes_its_objects_and_stops_serving_it()
    {
        await using var cluster = await StartWithDefinitionAsync();
        await cluster.Kube.CreateAsync(Workers, Worker("w1"));

        await cluster.Kube.DeleteAsync("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/buildkitworkers.buildkit.smrt-devops.net");
        var response = await cluster.Kube.GetAsync(Workers);

        StatusAssert.Failure(response, 404, "NotFound", "the server could not find the requested resource");
    }

    [Fact]
    public async Task CRD_YAML_files_can_be_loaded_directly()
    {
        await using var cluster = await TestCluster.StartAsync();
        var directory = Directory.CreateTempSubdirectory();
        try
        {
            await File.WriteAllTextAsync(Path.Combine(directory.FullName, "crd.yaml"), Definition + "\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: ignored}\n", TestContext.Current.CancellationToken);

            var count = await cluster.Server.LoadCustomResourceDefinitionsAsync(directory.FullName, TestContext.Current.CancellationToken);
            var created = await cluster.Kube.PostAsync(Workers, Worker("w1"));

            Assert.Equal(1, count);
            Assert.Equal(HttpStatusCode.Created, created.Status);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Invalid_CRD_returns_422()
    {
        await using var cluster = await TestCluster.StartAsync();
        var crd = YamlJson.ParseSingle(Definition).AsObject();
        crd["metadata"]!["name"] = "wrong.example.com";

        var response = await cluster.Kube.PostAsync("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd);

        StatusAssert.Failure(response, 422, "Invalid", "CustomResourceDefinition.apiextensions.k8s.io \"wrong.example.com\" is invalid: metadata.name");
    }

    [Fact]
    public async Task RegisterCustomResourceDefinition_serves_the_kind_and_stores_the_definition()
    {
        await using var cluster = await TestCluster.StartAsync();

        var stored = cluster.Server.RegisterCustomResourceDefinition(YamlJson.ParseSingle(Definition));
        var created = await cluster.Kube.PostAsync(Workers, Worker("w1"));

        Assert.NotNull(Json.Read(stored, "metadata.uid"));
        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.NotNull(cluster.Server.Get(BuildKitController.Kubernetes.Models.ApiExtensionsV1.CustomResourceDefinition.Resource, null, "buildkitworkers.buildkit.smrt-devops.net"));
    }
}
