using System.CommandLine;
using BuildKitController.Operator.Manifests;

namespace BuildKitController.Operator.Cli;

/// <summary><c>buildkit-controller validate PATH...</c>: check manifests offline; exit 1 when any is invalid.</summary>
internal static class ValidateCommand
{
    public static Command Create(TextWriter output)
    {
        var paths = new Argument<string[]>("paths")
        {
            Description = "Manifest files or folders (*.yaml, *.yml, *.json, searched recursively).",
            Arity = ArgumentArity.OneOrMore,
        };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Print only problems." };
        var command = new Command("validate", "Check BuildKitPool, BuildKitWorker and BuildKitOIDCConfig manifests the way the cluster will, and show each pool with its defaults.")
        {
            paths,
            quiet,
        };
        command.SetAction(parse => Run(parse.GetValue(paths) ?? [], parse.GetValue(quiet), output));
        return command;
    }

    internal static int Run(IReadOnlyList<string> paths, bool quiet, TextWriter output)
    {
        var files = new List<string>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                files.AddRange(Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                    .Where(f => f.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".yml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
                    .Order(StringComparer.Ordinal));
            }
            else if (File.Exists(path))
            {
                files.Add(path);
            }
            else
            {
                output.WriteLine($"{path}: no such file or folder");
                return 2;
            }
        }

        int valid = 0, invalid = 0;
        foreach (var file in files)
        {
            foreach (var finding in ManifestChecker.CheckText(file, File.ReadAllText(file)))
            {
                if (finding.IsValid)
                {
                    valid++;
                }
                else
                {
                    invalid++;
                }

                if (quiet && finding.IsValid && finding.Warnings.Count == 0)
                {
                    continue;
                }

                output.WriteLine($"{finding.Source}: {finding.Kind} {finding.Name}: {(finding.IsValid ? "valid" : "INVALID")}");
                foreach (var error in finding.Errors)
                {
                    output.WriteLine($"  error: {error}");
                }

                foreach (var warning in finding.Warnings)
                {
                    output.WriteLine($"  warning: {warning}");
                }

                if (!quiet)
                {
                    foreach (var line in finding.Summary)
                    {
                        output.WriteLine($"  {line}");
                    }
                }
            }
        }

        output.WriteLine($"{valid} valid, {invalid} invalid manifest document(s) in {files.Count} file(s)");
        return invalid == 0 ? 0 : 1;
    }
}
