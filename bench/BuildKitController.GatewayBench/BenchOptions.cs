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

    /// <summary>Which parts run (<c>--only bulk</c>: throughput and latency; <c>--only idle</c>: idle connections); null: all.</summary>
    public string? Only { get; init; }

    /// <summary>Seconds to keep the gateway's idle connections open after measuring (<c>--hold 600</c>), to inspect the process by hand.</summary>
    public int HoldSeconds { get; init; }

    /// <summary>
    /// <c>openssl-default</c> (default): both proxies with OpenSSL's order, AES-256-GCM first; <c>aes128-first</c>:
    /// the gateway with <c>--prefer-aes128-gcm=true</c> and nginx configured the same way (TLS 1.3 suites AES-128-GCM,
    /// AES-256-GCM, ChaCha20, server preference, on both of its sides).
    /// </summary>
    public string Ciphers { get; init; } = "openssl-default";

    public bool PreferAes128 => Ciphers == "aes128-first";

    public bool RunsBulk => Only is null or "bulk";

    public bool RunsIdle => Only is null or "idle";

    public string? Output { get; init; }

    /// <summary>Extra environment of the gateway process (<c>--gateway-env KEY=VALUE</c>, repeatable), for experiments.</summary>
    public IReadOnlyList<string> GatewayEnvironment { get; init; } = [];

    /// <summary>Extra gateway flags (<c>--gateway-arg --copy-buffer-size=65536</c>, repeatable), for experiments.</summary>
    public IReadOnlyList<string> GatewayArguments { get; init; } = [];

    /// <summary>A command the gateway runs under (<c>--gateway-prefix "perf record -g -o /tmp/perf.data"</c>), for profiling.</summary>
    public IReadOnlyList<string> GatewayPrefix { get; init; } = [];

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
                "--no-nginx" => options with { Nginx = args[i + 1] is "true" ? "" : options.Nginx },
                "--only" => options with { Only = args[i + 1] is "bulk" or "idle" ? args[i + 1] : throw new ArgumentException("--only takes bulk or idle") },
                "--ciphers" => options with { Ciphers = args[i + 1] is "aes128-first" or "openssl-default" ? args[i + 1] : throw new ArgumentException("--ciphers takes aes128-first or openssl-default") },
                "--hold" => options with { HoldSeconds = int.Parse(args[i + 1], CultureInfo.InvariantCulture) },
                "--out" => options with { Output = args[i + 1] },
                "--gateway-arg" => options with { GatewayArguments = [.. options.GatewayArguments, args[i + 1]] },
                "--gateway-prefix" => options with { GatewayPrefix = args[i + 1].Split(' ', StringSplitOptions.RemoveEmptyEntries) },
                "--gateway-env" => options with { GatewayEnvironment = [.. options.GatewayEnvironment, args[i + 1]] },
                _ => throw new ArgumentException($"unknown argument {args[i]}"),
            };
        }

        return options;
    }
}
