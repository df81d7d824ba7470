using System.CommandLine;
using System.CommandLine.Invocation;
using BuildKitController.Gateway.Cli;

var root = GatewayCommand.Create();
var parse = root.Parse(args);
if (parse.Action is ParseErrorAction)
{
    foreach (var problem in parse.Errors)
    {
        await Console.Error.WriteLineAsync($"error: {problem.Message}");
    }

    await Console.Error.WriteLineAsync("Run 'buildkit-gateway --help' for usage.");
    return GatewayCommand.UsageError;
}

// Signals are handled by the gateway itself (drain first), so no termination timeout here.
return await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
