using BuildKitController.Testing;

namespace BuildKitController.Operator.Tests.Hosting;

public sealed class CommandLineTests
{
    private static async Task<(int Exit, string Output, string Error)> InvokeAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await Program.InvokeAsync(args, output, error, TestContext.Current.CancellationToken);
        return (exit, output.ToString(), error.ToString());
    }

    [Theory]
    [InlineData("-h")]
    [InlineData("--help")]
    public async Task Root_help_lists_the_commands_and_the_run_flags(string flag)
    {
        var (exit, output, _) = await InvokeAsync(flag);

        Assert.Equal(0, exit);
        Assert.Contains("run", output, StringComparison.Ordinal);
        Assert.Contains("validate", output, StringComparison.Ordinal);
        Assert.Contains("--metrics-bind-address", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_help_shows_flags_with_defaults()
    {
        var (exit, output, _) = await InvokeAsync("run", "-h");

        Assert.Equal(0, exit);
        foreach (var flag in new[] { "--metrics-bind-address", "--health-probe-bind-address", "--api-bind-address", "--leader-elect", "--leader-election-namespace", "--namespace", "--watch-namespace", "--kubeconfig", "--max-concurrent-reconciles" })
        {
            Assert.Contains(flag, output, StringComparison.Ordinal);
        }

        Assert.Contains(":8080", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_help_and_validation_work_as_before()
    {
        Assert.Equal(0, (await InvokeAsync("validate", "-h")).Exit);

        var (exit, output, _) = await InvokeAsync("validate", RepositoryFiles.PathOf("examples", "pool-basic.yaml"));
        Assert.Equal(0, exit);
        Assert.Contains("0 invalid", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--no-such-flag")]
    [InlineData("run", "--no-such-flag")]
    [InlineData("run", "--max-concurrent-reconciles=lots")]
    [InlineData("frobnicate")]
    [InlineData("validate")]
    public async Task Usage_errors_exit_2_with_a_reason_and_no_stack_trace(params string[] args)
    {
        var (exit, _, error) = await InvokeAsync(args);

        Assert.Equal(2, exit);
        Assert.StartsWith("error: ", error, StringComparison.Ordinal);
        Assert.Contains("--help", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("run")]
    [InlineData(null)]
    public async Task Invalid_values_exit_2_for_the_default_command_too(string? command)
    {
        string[] flags = ["--metrics-bind-address=nowhere", "--health-probe-bind-address=0"];
        var (exit, _, error) = await InvokeAsync(command is null ? flags : [command, .. flags]);

        Assert.Equal(2, exit);
        Assert.Contains("error: --metrics-bind-address \"nowhere\"", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_kubeconfig_exits_2()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}", "kubeconfig");

        var (exit, _, _) = await InvokeAsync("run", $"--kubeconfig={missing}", "--metrics-bind-address=0", "--health-probe-bind-address=0");

        Assert.Equal(2, exit);
    }
}
