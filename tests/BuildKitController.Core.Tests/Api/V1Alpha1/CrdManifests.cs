using System.Text.Json.Nodes;
using BuildKitController.Kubernetes.Yaml;
using BuildKitController.Testing;
using BuildKitController.Testing.OpenApi;

namespace BuildKitController.Core.Tests.Api.V1Alpha1;

/// <summary>The CRD manifests of <c>deploy/crds</c>.</summary>
internal static class CrdManifests
{
    public const string PoolFile = "buildkit.smrt-devops.net_buildkitpools.yaml";
    public const string WorkerFile = "buildkit.smrt-devops.net_buildkitworkers.yaml";
    public const string OidcConfigFile = "buildkit.smrt-devops.net_buildkitoidcconfigs.yaml";

    public static string FileFor(string kind) => kind switch
    {
        "BuildKitPool" => PoolFile,
        "BuildKitWorker" => WorkerFile,
        "BuildKitOIDCConfig" => OidcConfigFile,
        _ => throw new ArgumentException($"unknown kind {kind}", nameof(kind)),
    };

    public static JsonNode Load(string kind) => YamlJson.ParseSingle(RepositoryFiles.ReadAllText("deploy", "crds", FileFor(kind)));

    public static JsonObject OpenApiSchema(string kind) =>
        (JsonObject)Load(kind)["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!;

    public static StructuralSchema Schema(string kind) => StructuralSchema.FromCustomResourceDefinition(Load(kind), "v1alpha1");
}
