using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using BuildKitController.Core.Allocation;
using BuildKitController.Core.Api.V1Alpha1;
using BuildKitController.Kubernetes.Client;
using BuildKitController.Kubernetes.Configuration;
using BuildKitController.Kubernetes.Models;
using BuildKitController.Testing;
using BuildKitController.Testing.FakeKubernetes;
using BuildKitController.Testing.StandInWorker;

namespace BuildKitController.GatewayBench;

/// <summary>
/// One run, three paths side by side: the client talks to the TLS backend directly, through the gateway process
/// (TLS in, TLS out, routed by its allocation certificate), and through nginx <c>stream</c> with TLS on both sides
/// (one worker process). Then the gateway's RSS with many idle proxied connections.
/// </summary>
internal static class Scenario
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static async Task<int> RunAsync(BenchOptions options, string[] arguments)
    {
        var work = Directory.CreateTempSubdirectory("gateway-bench-").FullName;
        using var pki = new BenchPki(work);
        var backendPort = FreePort();
        var gatewayPort = FreePort();
        var metricsPort = FreePort();
        var nginxPort = FreePort();
        var backendEndPoint = new IPEndPoint(IPAddress.Loopback, backendPort);
        var results = new List<PathResult>();

        // The cluster: a fake API server holding one allocated worker whose pod IP is the backend.
        await using var server = await FakeApiServer.StartAsync(new FakeApiServerOptions { InitialNamespaces = ["default"] }, CancellationToken.None);
        await server.LoadCustomResourceDefinitionsAsync(RepositoryFiles.PathOf("deploy", "crds"), CancellationToken.None);
        var kubeconfig = await server.WriteKubeconfigAsync(Path.Combine(work, "kubeconfig"), CancellationToken.None, server.AdminToken);
        using (var client = new KubernetesClient(KubeconfigLoader.LoadFromString(await File.ReadAllTextAsync(kubeconfig))))
        {
            var created = await client.For<BuildKitWorker>().CreateAsync(new BuildKitWorker
            {
                Metadata = new ObjectMeta { Name = "bench-worker-0", Namespace = "default", Labels = new() { ["buildkit.smrt-devops.net/pool"] = "bench" } },
                Spec = new BuildKitWorkerSpec
                {
                    PoolRef = new PoolReference { Name = "bench" },
                    Allocation = new WorkerAllocation { JobId = "bench", TokenHash = AllocationToken.Hash(pki.Token), AllocatedAt = DateTimeOffset.UtcNow, ExpiresAt = DateTimeOffset.UtcNow.AddHours(4) },
                },
            }, CancellationToken.None);
            await client.For<BuildKitWorker>().UpdateStatusAsync(created with { Status = new BuildKitWorkerStatus { Phase = WorkerPhases.Allocated, PodIP = "127.0.0.1" } }, CancellationToken.None);
        }

        var self = typeof(Scenario).Assembly.Location;
        await using var backend = ChildProcess.Start("dotnet", [self, "backend", backendEndPoint.ToString(), pki.PathOf("backend/tls.crt"), pki.PathOf("backend/tls.key"), pki.PathOf("backend/ca.crt")], "READY");
        await backend.Ready.WaitAsync(TimeSpan.FromSeconds(60));

        var gatewayDll = Path.Combine(Path.GetDirectoryName(self)!, "buildkit-gateway.dll");
        if (!File.Exists(gatewayDll))
        {
            gatewayDll = RepositoryFiles.PathOf("src", "BuildKitController.Gateway", "bin", "Release", "net10.0", "buildkit-gateway.dll");
        }

        string[] prefix = [.. options.GatewayPrefix, "dotnet"];
        await using var gateway = ChildProcess.Start(prefix[0],
        [
            .. prefix[1..], gatewayDll, "--pool-name", "bench", "--pool-namespace", "default", "--kubeconfig", kubeconfig,
            "--listen-addr", $"127.0.0.1:{gatewayPort}", "--metrics-addr", $"127.0.0.1:{metricsPort}", "--worker-port", backendPort.ToString(Invariant),
            "--tls-dir", pki.PathOf("tls"), "--worker-tls-dir", pki.PathOf("worker-tls"), "--log-level", "warn", "--max-connections", "19000",
            $"--prefer-aes128-gcm={(options.PreferAes128 ? "true" : "false")}",
            .. options.GatewayArguments,
        ], environment: options.GatewayEnvironment);
        await WaitReadyAsync(new Uri($"http://127.0.0.1:{metricsPort}/readyz"), gateway);

        await using var nginx = StartNginx(options, pki, work, nginxPort, backendPort);

        using var root = X509Certificate2.CreateFromPem(pki.Root.CertificatePem);
        using var workerCa = X509Certificate2.CreateFromPem(pki.WorkerCa.CertificatePem);
        using var allocation = X509Certificate2.CreateFromPem(File.ReadAllText(pki.PathOf("client/client.crt")), File.ReadAllText(pki.PathOf("client/client.key")));
        using var gatewayClient = X509Certificate2.CreateFromPem(File.ReadAllText(pki.PathOf("worker-tls/client.crt")), File.ReadAllText(pki.PathOf("worker-tls/client.key")));

        var paths = new List<(string Name, IPEndPoint EndPoint, X509Certificate2 Certificate, X509Certificate2 Trust, Func<double>? Cpu)>
        {
            ("direct to the TLS backend", backendEndPoint, gatewayClient, workerCa, null),
            ("through the gateway", new IPEndPoint(IPAddress.Loopback, gatewayPort), allocation, root, () => gateway.CpuSeconds()),
        };
        if (nginx is not null)
        {
            paths.Add(("through nginx stream (ssl both sides)", new IPEndPoint(IPAddress.Loopback, nginxPort), allocation, root, () => nginx.CpuSeconds(children: true)));
        }

        var bytes = (long)options.BulkMiB << 20;
        foreach (var (name, endPoint, certificate, trust, cpu) in options.RunsBulk ? paths : [])
        {
            Console.Error.WriteLine($"measuring {name} …");
            var throughputs = new List<double>();
            var cpuBefore = cpu?.Invoke() ?? 0;
            string? cipher = null;
            for (var round = 0; round < options.Rounds; round++)
            {
                var (throughput, negotiated) = await BulkAsync(endPoint, certificate, trust, bytes);
                throughputs.Add(throughput);
                cipher ??= negotiated;
            }

            // CPU seconds the proxy spent per GiB moved (less sensitive to the machine's other load than MiB/s).
            double? cpuPerGiB = cpu is null ? null : (cpu() - cpuBefore) / (options.Rounds * (double)bytes / (1L << 30));
            var (p50, p99, mean) = await LatencyAsync(endPoint, certificate, trust, options.Requests);
            results.Add(new PathResult(name, throughputs, p50, p99, mean, cpuPerGiB, cipher));
        }

        IdleResult? idle = null;
        IdleResult? nginxIdle = null;
        if (options.RunsIdle)
        {
            Console.Error.WriteLine($"opening {options.Idle} idle connections through the gateway (pid {gateway.Id}) …");
            idle = await IdleAsync(new IPEndPoint(IPAddress.Loopback, gatewayPort), allocation, root, options.Idle, () => gateway.ResidentBytes(), new Uri($"http://127.0.0.1:{metricsPort}/metrics"), options.HoldSeconds);
        }

        if (nginx is not null && options.RunsIdle)
        {
            Console.Error.WriteLine($"opening {options.Idle} idle connections through nginx …");
            nginxIdle = await IdleAsync(new IPEndPoint(IPAddress.Loopback, nginxPort), allocation, root, options.Idle, () => nginx.ResidentBytes(children: true), null, 0);
        }

        if (options.GatewayPrefix.Count > 0)
        {
            // Let the profiler the gateway runs under write its data.
            await gateway.StopGracefullyAsync("buildkit-gateway.dll", TimeSpan.FromSeconds(120));
        }

        var report = Report(options, arguments, results, idle, nginxIdle);
        Console.WriteLine(report);
        if (options.Output is { } output)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
            await File.WriteAllTextAsync(output, report);
        }

        Directory.Delete(work, recursive: true);
        return 0;
    }

    private static async Task<(double Throughput, string Cipher)> BulkAsync(IPEndPoint endPoint, X509Certificate2 certificate, X509Certificate2 trust, long bytes)
    {
        await using var client = await StandInClient.ConnectAsync(endPoint, certificate, trust, CancellationToken.None, checkName: false);
        var cipher = client.Stream.NegotiatedCipherSuite.ToString();
        var watch = Stopwatch.StartNew();
        await client.SendAsync(string.Create(Invariant, $"STREAM {bytes}"), CancellationToken.None);
        var received = await client.ReadToEndAsync(CancellationToken.None, checkPattern: false);
        watch.Stop();
        if (received != bytes)
        {
            throw new InvalidDataException($"received {received} of {bytes} bytes from {endPoint}");
        }

        return (bytes / (1024.0 * 1024.0) / watch.Elapsed.TotalSeconds, cipher);
    }

    private static async Task<(double P50, double P99, double Mean)> LatencyAsync(IPEndPoint endPoint, X509Certificate2 certificate, X509Certificate2 trust, int requests)
    {
        await using var client = await StandInClient.ConnectAsync(endPoint, certificate, trust, CancellationToken.None, checkName: false);
        for (var i = 0; i < 500; i++)
        {
            await client.AskAsync("ECHO warm-up", CancellationToken.None);
        }

        var samples = new double[requests];
        for (var i = 0; i < requests; i++)
        {
            var started = Stopwatch.GetTimestamp();
            var answer = await client.AskAsync("ECHO 0123456789abcdef", CancellationToken.None);
            samples[i] = Stopwatch.GetElapsedTime(started).TotalMicroseconds;
            if (answer != "0123456789abcdef")
            {
                throw new InvalidDataException($"unexpected answer {answer}");
            }
        }

        Array.Sort(samples);
        return (samples[samples.Length / 2], samples[(int)(samples.Length * 0.99)], samples.Average());
    }

    private static async Task<IdleResult> IdleAsync(IPEndPoint endPoint, X509Certificate2 certificate, X509Certificate2 trust, int count, Func<long> resident, Uri? metrics, int holdSeconds)
    {
        using var http = new HttpClient();
        var before = resident();
        var clients = new StandInClient[count];
        using var handshakes = new SemaphoreSlim(32);
        var watch = Stopwatch.StartNew();
        try
        {
            await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
            {
                await handshakes.WaitAsync();
                try
                {
                    clients[i] = await StandInClient.ConnectAsync(endPoint, certificate, trust, CancellationToken.None, checkName: false);
                    if (await clients[i].AskAsync("IDENTITY", CancellationToken.None) != "backend")
                    {
                        throw new InvalidDataException("not proxied");
                    }
                }
                finally
                {
                    handshakes.Release();
                }
            }));
            var opened = watch.Elapsed;
            var peak = resident();

            // Idle for a moment: what the gateway holds once nothing moves.
            await Task.Delay(TimeSpan.FromSeconds(5));
            var settled = resident();
            long? managed = null;
            if (metrics is not null)
            {
                var scrape = await http.GetStringAsync(metrics);
                var line = scrape.Split('\n').FirstOrDefault(l => l.StartsWith("dotnet_gc_heap_bytes ", StringComparison.Ordinal));
                managed = line is null ? null : (long)double.Parse(line["dotnet_gc_heap_bytes ".Length..], Invariant);
            }
            if (holdSeconds > 0)
            {
                Console.Error.WriteLine($"holding {count} idle connections for {holdSeconds} s (RSS {settled / 1048576.0:F0} MiB) …");
                await Task.Delay(TimeSpan.FromSeconds(holdSeconds));
            }

            var alive = (await Task.WhenAll(clients.Select(c => c.AskAsync("ECHO ok", CancellationToken.None)))).Count(a => a == "ok");
            return new IdleResult(count, before, peak, settled, opened, alive, managed);
        }
        finally
        {
            foreach (var client in clients.Where(c => c is not null))
            {
                await client.DisposeAsync();
            }
        }
    }

    private static ChildProcess? StartNginx(BenchOptions options, BenchPki pki, string work, int port, int backendPort)
    {
        if (options.Nginx.Length == 0)
        {
            return null;
        }

        if (!File.Exists(options.Nginx))
        {
            Console.Error.WriteLine($"{options.Nginx} not found: skipping the nginx path");
            return null;
        }

        var prefix = Path.Combine(work, "nginx");
        Directory.CreateDirectory(Path.Combine(prefix, "logs"));
        var config = Path.Combine(prefix, "nginx.conf");
        const string streamModule = "/usr/lib/nginx/modules/ngx_stream_module.so";
        var load = File.Exists(streamModule) ? $"load_module {streamModule};" : "";
        // Same cipher order as the gateway: AES-128-GCM first with server preference on the listener, offered
        // first towards the backend (which, like any OpenSSL server with server preference, picks its own).
        const string suites = "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256";
        var ciphers = options.PreferAes128
            ? $"ssl_prefer_server_ciphers on;\n                    ssl_conf_command Ciphersuites {suites};\n                    proxy_ssl_conf_command Ciphersuites {suites};"
            : "";
        File.WriteAllText(config, $$"""
            {{load}}
            worker_processes 1;
            worker_rlimit_nofile 20000;
            error_log {{prefix}}/logs/error.log warn;
            pid {{prefix}}/nginx.pid;
            events { worker_connections 19990; }
            stream {
                server {
                    listen 127.0.0.1:{{port}} ssl;
                    ssl_protocols TLSv1.2 TLSv1.3;
                    ssl_certificate {{pki.PathOf("tls/tls.crt")}};
                    ssl_certificate_key {{pki.PathOf("tls/tls.key")}};
                    ssl_client_certificate {{pki.PathOf("nginx/client-cas.crt")}};
                    ssl_verify_client on;
                    ssl_verify_depth 3;
                    proxy_pass 127.0.0.1:{{backendPort}};
                    proxy_ssl on;
                    proxy_ssl_protocols TLSv1.2 TLSv1.3;
                    proxy_ssl_certificate {{pki.PathOf("worker-tls/client.crt")}};
                    proxy_ssl_certificate_key {{pki.PathOf("worker-tls/client.key")}};
                    proxy_ssl_trusted_certificate {{pki.PathOf("worker-tls/ca.crt")}};
                    proxy_ssl_verify on;
                    proxy_ssl_name localhost;
                    {{ciphers}}
                }
            }
            """);
        var nginx = ChildProcess.Start(options.Nginx, ["-p", prefix, "-c", config, "-g", "daemon off;"]);
        for (var attempt = 0; attempt < 100; attempt++)
        {
            try
            {
                using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                probe.Connect(IPAddress.Loopback, port);
                return nginx;
            }
            catch (SocketException)
            {
                Thread.Sleep(100);
            }
        }

        throw new InvalidOperationException($"nginx did not start:\n{nginx.Output}");
    }

    private static async Task WaitReadyAsync(Uri readyz, ChildProcess gateway)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        for (var attempt = 0; attempt < 300; attempt++)
        {
            try
            {
                if ((await http.GetAsync(readyz)).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        throw new InvalidOperationException($"the gateway did not become ready:\n{gateway.Output}");
    }

    private static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    private static string Report(BenchOptions options, string[] arguments, List<PathResult> results, IdleResult? idle, IdleResult? nginxIdle)
    {
        var text = new StringBuilder();
        text.AppendLine(Invariant, $"# Gateway benchmark, {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC");
        text.AppendLine();
        text.AppendLine(Invariant, $"Machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}. Command: `bash bench/gateway.sh {string.Join(' ', arguments.Where(a => a != "--out" && a != options.Output))}`.");
        if (results.Count >= 2)
        {
            text.AppendLine();
            text.AppendLine("Bulk: one TLS connection downloads the payload from the stand-in backend (best and median of the rounds). Latency: one connection, a 17-byte request and its echo, after 500 warm-up round trips.");
            text.AppendLine();
            text.AppendLine(Invariant, $"| path | client cipher | bulk {options.BulkMiB} MiB, best (MiB/s) | median (MiB/s) | proxy CPU s per GiB | p50 (µs) | p99 (µs) | mean (µs) |");
            text.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|");
            foreach (var r in results)
            {
                var sorted = r.Throughputs.Order().ToList();
                var cpu = r.CpuPerGiB is { } c ? c.ToString("F2", Invariant) : "–";
                text.AppendLine(Invariant, $"| {r.Name} | {r.Cipher} | {sorted[^1]:F0} | {sorted[sorted.Count / 2]:F0} | {cpu} | {r.P50:F0} | {r.P99:F0} | {r.Mean:F0} |");
            }

            var direct = results[0];
            var gateway = results[1];
            text.AppendLine();
            text.AppendLine(Invariant, $"Added latency through the gateway: p50 {gateway.P50 - direct.P50:F0} µs, p99 {gateway.P99 - direct.P99:F0} µs (target: p50 ≤ 100 µs).");
            if (results.Count > 2)
            {
                var nginx = results[2];
                text.AppendLine(Invariant, $"Added latency through nginx: p50 {nginx.P50 - direct.P50:F0} µs, p99 {nginx.P99 - direct.P99:F0} µs.");
                text.AppendLine(Invariant, $"Gateway bulk throughput / nginx: {gateway.Throughputs.Max() / nginx.Throughputs.Max():P0} (target ≥ 100%); gateway / direct: {gateway.Throughputs.Max() / direct.Throughputs.Max():P0}.");
            }
        }

        if (idle is not null)
        {
            var perConnection = (idle.Settled - idle.Before) / (double)idle.Count;
            text.AppendLine();
            text.AppendLine(Invariant, $"Idle connections through the gateway: {idle.Count} opened (TLS both hops, one request each) in {idle.Opened.TotalSeconds:F1} s, {idle.Alive} still answering afterwards.");
            text.AppendLine(Invariant, $"Gateway RSS: {idle.Before / 1048576.0:F0} MiB before, {idle.Peak / 1048576.0:F0} MiB right after opening, {idle.Settled / 1048576.0:F0} MiB idle; {perConnection / 1024:F1} KiB per connection; extrapolated to 10,000: {(idle.Before + (perConnection * 10_000)) / 1048576.0:F0} MiB (target ≤ 200 MB). Managed heap (live and uncollected) at that point: {idle.ManagedHeap / 1048576.0:F0} MiB.");
        }

        if (nginxIdle is not null)
        {
            var nginxPer = (nginxIdle.Settled - nginxIdle.Before) / (double)nginxIdle.Count;
            text.AppendLine(Invariant, $"nginx (master + worker) RSS for the same {nginxIdle.Count} idle connections: {nginxIdle.Before / 1048576.0:F0} MiB before, {nginxIdle.Settled / 1048576.0:F0} MiB idle; {nginxPer / 1024:F1} KiB per connection.");
        }

        return text.ToString();
    }

    private sealed record PathResult(string Name, List<double> Throughputs, double P50, double P99, double Mean, double? CpuPerGiB, string? Cipher);

    private sealed record IdleResult(int Count, long Before, long Peak, long Settled, TimeSpan Opened, int Alive, long? ManagedHeap);
}
