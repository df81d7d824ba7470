using System.Text.Json;
using System.Text.Json.Nodes;
using BuildKitController.Core.Api.V1Alpha1;
using BuildKitController.Core.Api.V1Alpha1.Validation;
using BuildKitController.Core.Serialization;
using BuildKitController.Kubernetes.Models.Serialization;
using BuildKitController.Kubernetes.Yaml;
using BuildKitController.Testing;

namespace BuildKitController.Core.Tests.Api.V1Alpha1;

public sealed class ExampleManifestTests
{
    public static TheoryData<string> ExampleFiles =>
        [.. Directory.GetFiles(RepositoryFiles.PathOf("examples"), "*.yaml").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)];

    [Fact]
    public void Examples_include_the_upstream_README_manifests_and_the_extensions()
    {
        var files = ExampleFiles.Select(row => (string)row.Data).ToList();

        Assert.Contains("pool-basic.yaml", files);
        Assert.Contains("oidc-config-github-actions.yaml", files);
        Assert.Contains(files, f => Read(f).Contains("size:", StringComparison.Ordinal));
        Assert.Contains(files, f => Read(f).Contains("  worker:", StringComparison.Ordinal));
    }

    [Fact]
    public void README_pool_example_keeps_its_upstream_shape()
    {
        var text = Read("pool-basic.yaml");

        Assert.Contains("    methods:\n      - mtls\n", text, StringComparison.Ordinal);
        Assert.Contains("        cpu: 1\n", text, StringComparison.Ordinal);
        Assert.Contains("    min: 0 # Enable scale-to-zero\n", text, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ExampleFiles))]
    public void Example_deserializes_without_unknown_fields(string file)
    {
        foreach (var document in Documents(file))
        {
            var (value, options) = Deserialize(document);

            Assert.Empty(UnknownFields.Find(value, options));
        }
    }

    [Theory]
    [MemberData(nameof(ExampleFiles))]
    public void Example_passes_the_core_validator(string file)
    {
        foreach (var document in Documents(file))
        {
            var (value, _) = Deserialize(document);
            var errors = value switch
            {
                BuildKitPool pool => BuildKitPoolValidator.Validate(pool),
                BuildKitOIDCConfig config => BuildKitOIDCConfigValidator.Validate(config),
                BuildKitWorker worker => BuildKitWorkerValidator.Validate(worker),
                _ => throw new InvalidOperationException(value.GetType().Name),
            };

            Assert.Empty(errors);
        }
    }

    [Theory]
    [MemberData(nameof(ExampleFiles))]
    public void Example_is_accepted_by_the_CRD_schema_without_pruning(string file)
    {
        foreach (var document in Documents(file))
        {
            var schema = CrdManifests.Schema((string)document["kind"]!);
            var pruned = document.DeepClone();
            schema.Prune(pruned);
            Assert.True(JsonNode.DeepEquals(document, pruned), $"pruning changed {file}: {pruned.ToJsonString()}");

            schema.ApplyDefaults(pruned);
            Assert.Empty(schema.Validate(pruned));
        }
    }

    [Theory]
    [MemberData(nameof(ExampleFiles))]
    public void Defaulted_example_still_deserializes_and_validates(string file)
    {
        foreach (var document in Documents(file))
        {
            var schema = CrdManifests.Schema((string)document["kind"]!);
            var stored = document.DeepClone();
            schema.Admit(stored);
            var (value, options) = Deserialize(stored);

            Assert.Empty(UnknownFields.Find(value, options));
            if (value is BuildKitPool pool)
            {
                Assert.Empty(BuildKitPoolValidator.Validate(pool));
            }
        }
    }

    private static (object Value, JsonSerializerOptions Options) Deserialize(JsonNode document) => (string?)document["kind"] switch
    {
        "BuildKitPool" => (document.Deserialize(CoreJsonContext.Default.BuildKitPool)!, CoreJsonContext.Default.Options),
        "BuildKitOIDCConfig" => (document.Deserialize(CoreJsonContext.Default.BuildKitOIDCConfig)!, CoreJsonContext.Default.Options),
        "BuildKitWorker" => (document.Deserialize(CoreJsonContext.Default.BuildKitWorker)!, CoreJsonContext.Default.Options),
        var kind => throw new InvalidOperationException($"unexpected kind {kind}"),
    };

    private static IReadOnlyList<JsonNode> Documents(string file)
    {
        var documents = YamlJson.ParseDocuments(Read(file));
        Assert.NotEmpty(documents);
        Assert.All(documents, d => Assert.Equal(BuildKitApi.ApiVersion, (string?)d["apiVersion"]));
        return documents;
    }

    private static string Read(string file) => RepositoryFiles.ReadAllText("examples", file);
}
