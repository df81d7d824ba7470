using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace BuildKitController.Bench;

/// <summary>
/// The real controller (<c>dotnet buildkit-controller.dll run</c>) as a child process, with its metrics, health
/// probe and allocation API servers on free loopback ports and its output copied to a log file.
/// </summary>
internal sealed class ControllerProcess : IAsyncDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Lock _logLock = new();
    private readonly long _started;
    private int _loggedLines;
    private bool _closed;

    private ControllerProcess(Process process, StreamWriter log, long started, Uri metrics, Uri health, Uri api)
    {
        _process = process;
        _log = log;
        _started = started;
        MetricsAddress = metrics;
        HealthAddress = health;
        ApiAddress = api;
    }

    public Uri MetricsAddress { get; }

    public Uri HealthAddress { get; }

    /// <summary>The allocation API (plain HTTP on loopback).</summary>
    public Uri ApiAddress { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Time since the process was started.</summary>
    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(_started);

    /// <summary>Lines the process wrote to its output (LOG_LEVEL=warning: warnings and errors only).</summary>
    public int LoggedLines => Volatile.Read(ref _loggedLines);

    public static ControllerProcess Start(string controllerPath, string kubeconfig, int maxConcurrentReconciles, IReadOnlyDictionary<string, string> environment,
        string logPath, IReadOnlyList<string>? extraArguments = null)
    {
        var metrics = new Uri($"http://127.0.0.1:{FreePort()}/");
        var health = new Uri($"http://127.0.0.1:{FreePort()}/");
        var api = new Uri($"http://127.0.0.1:{FreePort()}/");
        var info = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        List<string> arguments =
        [
            controllerPath, "run",
            "--kubeconfig", kubeconfig,
            "--metrics-bind-address", $"127.0.0.1:{metrics.Port}",
            "--health-probe-bind-address", $"127.0.0.1:{health.Port}",
            "--api-bind-address", $"127.0.0.1:{api.Port}",
            "--namespace", "buildkit-system",
            "--max-concurrent-reconciles", maxConcurrentReconciles.ToString(System.Globalization.CultureInfo.InvariantCulture),
            .. extraArguments ?? [],
        ];
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        // The benchmark's own GC settings (DOTNET_gcServer, DOTNET_GCgen0size, …) are not the controller's: it runs with
        // those it ships with, plus what `environment` sets.
        foreach (var inherited in info.Environment.Keys.Where(k => k.StartsWith("DOTNET_GC", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            info.Environment.Remove(inherited);
        }

        info.Environment["LOG_LEVEL"] = "warning";
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        var log = new StreamWriter(logPath, append: false) { AutoFlush = true };
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var started = Stopwatch.GetTimestamp();
        if (!process.Start())
        {
            log.Dispose();
            throw new InvalidOperationException($"could not start dotnet {controllerPath}");
        }

        var controller = new ControllerProcess(process, log, started, metrics, health, api);
        process.OutputDataReceived += (_, e) => controller.Append(e.Data);
        process.ErrorDataReceived += (_, e) => controller.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return controller;
    }

    /// <summary>True when <c>/readyz</c> answers 200.</summary>
    public async Task<bool> IsReadyAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await Http.GetAsync(new Uri(HealthAddress, "readyz"), cancellationToken);
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>The parsed <c>/metrics</c>, or null while the server is not up.</summary>
    public async Task<PrometheusText?> ScrapeAsync(CancellationToken cancellationToken)
    {
        try
        {
            var text = await Http.GetStringAsync(new Uri(MetricsAddress, "metrics"), cancellationToken);
            return PrometheusText.Parse(text);
        }
        catch (HttpRequestException)
        {
            return null;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    public ProcessStats Stats() => ProcessStats.Read(_process);

    /// <summary>SIGKILL, then waits for the exit.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await KillAsync();
        }
        catch (InvalidOperationException)
        {
            // Never started or already reaped.
        }

        _process.Dispose();
        lock (_logLock)
        {
            _closed = true;
            _log.Dispose();
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        Interlocked.Increment(ref _loggedLines);
        lock (_logLock)
        {
            if (!_closed)
            {
                _log.WriteLine(line);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
