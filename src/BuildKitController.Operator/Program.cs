using System.CommandLine;
using BuildKitController.Operator.Cli;

var root = new RootCommand("buildkit-controller: elastic, isolated BuildKit builders for CI on Kubernetes.")
{
    ValidateCommand.Create(Console.Out),
};

return await root.Parse(args).InvokeAsync();
