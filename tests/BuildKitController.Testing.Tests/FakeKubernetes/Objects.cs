using System.Text.Json.Nodes;

namespace BuildKitController.Testing.Tests.FakeKubernetes;

/// <summary>Small object builders for tests.</summary>
internal static class Objects
{
    public const string ConfigMaps = "/api/v1/namespaces/default/configmaps";
    public const string Pods = "/api/v1/namespaces/default/pods";
    public const string Deployments = "/apis/apps/v1/namespaces/default/deployments";
    public const string Secrets = "/api/v1/namespaces/default/secrets";

    public static JsonObject ConfigMap(string name, Dictionary<string, string>? labels = null, string value = "v")
    {
        var metadata = new JsonObject { ["name"] = name };
        if (labels is not null)
        {
            metadata["labels"] = Labels(labels);
        }

        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = metadata,
            ["data"] = new JsonObject { ["key"] = value },
        };
    }

    public static JsonObject Deployment(string name, int replicas = 1) => Json.Parse($$"""
        {
          "apiVersion": "apps/v1",
          "kind": "Deployment",
          "metadata": { "name": "{{name}}", "labels": { "app": "{{name}}" } },
          "spec": {
            "replicas": {{replicas}},
            "selector": { "matchLabels": { "app": "{{name}}" } },
            "template": {
              "metadata": { "labels": { "app": "{{name}}" } },
              "spec": { "containers": [ { "name": "app", "image": "nginx:1" } ] }
            }
          }
        }
        """);

    public static JsonObject Pod(string name) => Json.Parse($$"""
        {
          "apiVersion": "v1",
          "kind": "Pod",
          "metadata": { "name": "{{name}}" },
          "spec": { "containers": [ { "name": "app", "image": "busybox", "env": [ { "name": "A", "value": "1" } ] } ] }
        }
        """);

    public static JsonObject Labels(Dictionary<string, string> labels)
    {
        var obj = new JsonObject();
        foreach (var (key, value) in labels)
        {
            obj[key] = value;
        }

        return obj;
    }

    public static JsonObject OwnerReference(JsonObject owner, bool blockOwnerDeletion = false) => new()
    {
        ["apiVersion"] = owner["apiVersion"]?.DeepClone() ?? "v1",
        ["kind"] = owner["kind"]?.DeepClone() ?? "ConfigMap",
        ["name"] = Json.Read(owner, "metadata.name"),
        ["uid"] = Json.Read(owner, "metadata.uid"),
        ["blockOwnerDeletion"] = blockOwnerDeletion,
    };
}
