using System.Text.Json.Nodes;
using BuildKitController.Kubernetes.Models;

namespace BuildKitController.Core.Tests.Api.V1Alpha1;

public sealed class PrinterColumnTests
{
    public static TheoryData<string> Kinds => ["BuildKitPool", "BuildKitWorker", "BuildKitOIDCConfig"];

    public static TheoryData<string, string> ExpectedColumns => new()
    {
        {
            "BuildKitPool",
            "Phase|string|.status.phase|0; Gateway|string|.status.gateway.ready|1; Workers|integer|.status.workers.total|0; "
            + "Ready|integer|.status.workers.ready|0; Desired|integer|.status.workers.desired|1; Needed|integer|.status.workers.needed|1; "
            + "Idle|integer|.status.workers.idle|1; Allocated|integer|.status.workers.allocated|0; Connections|integer|.status.connections.active|0; "
            + "Endpoint|string|.status.endpoint|1; Age|date|.metadata.creationTimestamp|0"
        },
        {
            "BuildKitWorker",
            "Pool|string|.spec.poolRef.name|0; Phase|string|.status.phase|0; Pod|string|.status.podName|0; JobID|string|.spec.allocation.jobId|1; "
            + "Age|date|.metadata.creationTimestamp|0"
        },
        {
            "BuildKitOIDCConfig",
            "Issuer|string|.spec.issuer|0; Audience|string|.spec.audience|0; Enabled|boolean|.spec.enabled|0; Ready|boolean|.status.ready|0; "
            + "Age|date|.metadata.creationTimestamp|0"
        },
    };

    [Theory]
    [MemberData(nameof(ExpectedColumns))]
    public void Printer_columns_are_those_of_the_Go_controller(string kind, string expected)
    {
        var columns = Columns(kind).Select(c => $"{(string?)c!["name"]}|{(string?)c["type"]}|{(string?)c["jsonPath"]}|{(long?)c["priority"] ?? 0}");

        Assert.Equal(expected, string.Join("; ", columns));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Every_printer_column_path_resolves_to_a_schema_property_of_a_matching_type(string kind)
    {
        var schema = CrdManifests.OpenApiSchema(kind);
        var problems = new List<string>();
        foreach (var column in Columns(kind))
        {
            var path = (string)column!["jsonPath"]!;
            var columnType = (string)column["type"]!;
            var segments = path.TrimStart('.').Split('.');
            if (segments[0] == "metadata")
            {
                var known = KubernetesModelsJsonContext.Default.ObjectMeta.Properties.Any(p => p.Name == segments[1]);
                if (segments.Length != 2 || !known || (columnType == "date" && segments[1] != "creationTimestamp"))
                {
                    problems.Add($"{path} is not an ObjectMeta timestamp field");
                }

                continue;
            }

            JsonNode? node = schema;
            foreach (var segment in segments)
            {
                node = node?["properties"]?[segment];
            }

            if (node is null)
            {
                problems.Add($"{path} does not resolve");
                continue;
            }

            var schemaType = (string?)node["type"];
            var compatible = columnType switch
            {
                "string" => schemaType is "string" or "boolean" or "integer",
                "integer" => schemaType == "integer",
                "boolean" => schemaType == "boolean",
                "date" => schemaType == "string" && (string?)node["format"] == "date-time",
                _ => false,
            };
            if (!compatible)
            {
                problems.Add($"{path}: column type {columnType} does not fit schema type {schemaType}");
            }
        }

        Assert.Empty(problems);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Crd_is_namespaced_v1alpha1_with_a_status_subresource(string kind)
    {
        var crd = CrdManifests.Load(kind);
        var version = crd["spec"]!["versions"]![0]!;

        Assert.Equal("apiextensions.k8s.io/v1", (string?)crd["apiVersion"]);
        Assert.Equal("buildkit.smrt-devops.net", (string?)crd["spec"]!["group"]);
        Assert.Equal("Namespaced", (string?)crd["spec"]!["scope"]);
        Assert.Equal(kind, (string?)crd["spec"]!["names"]!["kind"]);
        Assert.Equal(kind.ToLowerInvariant() + "s.buildkit.smrt-devops.net", (string?)crd["metadata"]!["name"]);
        Assert.Single(crd["spec"]!["versions"]!.AsArray());
        Assert.Equal("v1alpha1", (string?)version["name"]);
        Assert.True((bool?)version["served"]);
        Assert.True((bool?)version["storage"]);
        Assert.NotNull(version["subresources"]?["status"]);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Resource_type_of_the_CSharp_model_matches_the_CRD_names(string kind)
    {
        var names = CrdManifests.Load(kind)["spec"]!["names"]!;
        ResourceType resource = kind switch
        {
            "BuildKitPool" => Core.Api.V1Alpha1.BuildKitPool.Resource,
            "BuildKitWorker" => Core.Api.V1Alpha1.BuildKitWorker.Resource,
            _ => Core.Api.V1Alpha1.BuildKitOIDCConfig.Resource,
        };

        Assert.Equal((string?)names["plural"], resource.Plural);
        Assert.Equal((string?)names["kind"], resource.Kind);
        Assert.Equal("buildkit.smrt-devops.net/v1alpha1", resource.ApiVersion);
        Assert.True(resource.Namespaced);
    }

    private static JsonArray Columns(string kind) => CrdManifests.Load(kind)["spec"]!["versions"]![0]!["additionalPrinterColumns"]!.AsArray();
}
