using BuildKitController.Operator.Cli;
using BuildKitController.Operator.Manifests;
using BuildKitController.Testing;

namespace BuildKitController.Operator.Tests.Manifests;

public sealed class ManifestCheckerTests
{
    private const string ValidPool = """
        apiVersion: buildkit.smrt-devops.net/v1alpha1
        kind: BuildKitPool
        metadata:
          name: ci
        spec:
          scaling:
            min: 1
            max: 3
        """;

    [Fact]
    public void A_valid_pool_is_summarised_with_its_defaults()
    {
        var finding = Assert.Single(ManifestChecker.CheckText("pool.yaml", ValidPool));

        Assert.True(finding.IsValid);
        Assert.Equal(("BuildKitPool", "ci"), (finding.Kind, finding.Name));
        Assert.Contains(finding.Summary, l => l.Contains("min 1, max 3, idle workers above min removed after 15m", StringComparison.Ordinal));
        Assert.Contains(finding.Summary, l => l.Contains("moby/buildkit:master-rootless", StringComparison.Ordinal));
        Assert.Empty(finding.Warnings);
    }

    [Fact]
    public void Min_above_max_is_an_error()
    {
        var finding = Assert.Single(ManifestChecker.CheckText("pool.yaml", ValidPool.Replace("min: 1", "min: 5", StringComparison.Ordinal)));

        Assert.False(finding.IsValid);
        Assert.Contains(finding.Errors, e => e.Contains("spec.scaling", StringComparison.Ordinal));
        Assert.Empty(finding.Summary);
    }

    [Fact]
    public void Unknown_fields_are_warned_about()
    {
        var finding = Assert.Single(ManifestChecker.CheckText("pool.yaml", ValidPool + "\n    maxx: 4\n"));

        Assert.Contains(finding.Warnings, w => w.Contains("spec.scaling", StringComparison.Ordinal) && w.Contains("maxx", StringComparison.Ordinal));
    }

    [Fact]
    public void Wrong_types_are_errors_not_crashes()
    {
        var finding = Assert.Single(ManifestChecker.CheckText("pool.yaml", ValidPool.Replace("max: 3", "max: [1, 2]", StringComparison.Ordinal)));

        Assert.False(finding.IsValid);
        Assert.Contains(finding.Errors, e => e.Contains("max", StringComparison.Ordinal));
    }

    [Fact]
    public void Unreadable_yaml_is_reported()
    {
        var finding = Assert.Single(ManifestChecker.CheckText("broken.yaml", "kind: [unclosed"));

        Assert.False(finding.IsValid);
        Assert.Contains("not valid YAML", finding.Errors[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Other_kinds_in_a_multi_document_file_are_skipped()
    {
        var text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n---\n" + ValidPool;

        var finding = Assert.Single(ManifestChecker.CheckText("mixed.yaml", text));

        Assert.Equal("mixed.yaml#2", finding.Source);
    }

    [Fact]
    public void The_command_fails_when_any_document_is_invalid_and_passes_on_the_examples()
    {
        var dir = Directory.CreateTempSubdirectory();
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "good.yaml"), ValidPool);
            using var output = new StringWriter();
            Assert.Equal(0, ValidateCommand.Run([dir.FullName], quiet: false, output));

            File.WriteAllText(Path.Combine(dir.FullName, "bad.yaml"), ValidPool.Replace("max: 3", "max: 0", StringComparison.Ordinal));
            using var second = new StringWriter();
            Assert.Equal(1, ValidateCommand.Run([dir.FullName], quiet: true, second));
            Assert.Contains("1 valid, 1 invalid", second.ToString(), StringComparison.Ordinal);
            Assert.Equal(2, ValidateCommand.Run([Path.Combine(dir.FullName, "missing")], quiet: false, new StringWriter()));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Every_shipped_example_is_valid()
    {
        var examples = RepositoryFiles.PathOf("examples");
        using var output = new StringWriter();

        Assert.Equal(0, ValidateCommand.Run([examples], quiet: true, output));
        Assert.DoesNotContain("warning", output.ToString(), StringComparison.Ordinal);
    }

}
