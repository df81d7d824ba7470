using System.CommandLine;
using System.CommandLine.Invocation;
using BuildKitController.Operator.Cli;

return await Program.InvokeAsync(args, Console.Out, Console.Error, CancellationToken.None);

/// <summary>The command line: <c>run</c> (also the default when no command is given) and <c>validate</c>.</summary>
internal partial class Program
{
    /// <summary>Parses and runs a command line; usage errors print their reasons and return 2.</summary>
    internal static async Task<int> InvokeAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var root = new RootCommand("buildkit-controller: elastic, isolated BuildKit builders for CI on Kubernetes.")
        {
            RunCommand.Create(),
            ValidateCommand.Create(output),
        };
        RunCommand.Configure(root);

        var parse = root.Parse(args);
        if (parse.Action is ParseErrorAction)
        {
            foreach (var problem in parse.Errors)
            {
                await error.WriteLineAsync($"error: {problem.Message}");
            }

            var command = parse.CommandResult.Command == root ? "buildkit-controller" : $"buildkit-controller {parse.CommandResult.Command.Name}";
            await error.WriteLineAsync($"Run '{command} --help' for usage.");
            return RunCommand.UsageError;
        }

        // Signals are handled by the run command itself (graceful shutdown has its own bound), so no termination timeout here.
        return await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, ProcessTerminationTimeout = null }, cancellationToken);
    }
}
