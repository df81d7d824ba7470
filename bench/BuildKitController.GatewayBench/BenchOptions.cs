using System.Globalization;

namespace BuildKitController.GatewayBench;

/// <summary>Command line of the benchmark: <c>--bulk-mib 1024 --rounds 3 --requests 5000 --idle 9900 --out file</c>.</summary>
internal sealed record BenchOptions
{
    public int BulkMiB { get; init; } = 1024;

    public int Rounds { get; init; } = 3;

    public int Requests { get; init; } = 5000;

    public int Idle { get; init; } = 9900;

    public string Nginx { get; init; } = "/usr/sbin/nginx";

    public string? Output { get; init; }

    /// <summary>Extra environment of the gateway process (<c>--gateway-env KEY=VALUE</c>, repeatable), for experiments.</summary>
    public IReadOnlyList<string> GatewayEnvironment { get; init; } = [];

    /// <summary>Extra gateway flags (<c>--gateway-arg --copy-buffer-size=65536</c>, repeatable), for experiments.</summary>
    public IReadOnlyList<string> GatewayArguments { get; init; } = [];

    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions();
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            options = args[i] switch
            {
                "--bulk-mib" => options with { BulkMiB = int.Parse(args[i + 1], CultureInfo.InvariantCulture) },
                "--rounds" => options with { Rounds = int.Parse(args[i + 1], CultureInfo.InvariantCulture) },
                "--requests" => options with { Requests = int.Parse(args[i + 1], CultureInfo.InvariantCulture) },
                "--idle" => options with { Idle = int.Parse(args[i + 1], CultureInfo.InvariantCulture) },
                "--nginx" => options with { Nginx = args[i + 1] },
                "--out" => options with { Output = args[i + 1] },
                "--gateway-arg" => options with { GatewayArguments = [.. options.GatewayArguments, args[i + 1]] },
                "--gateway-env" => options with { GatewayEnvironment = [.. options.GatewayEnvironment, args[i + 1]] },
                _ => throw new ArgumentException($"unknown argument {args[i]}"),
            };
        }

        return options;
    }
}
