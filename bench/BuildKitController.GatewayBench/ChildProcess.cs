using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace BuildKitController.GatewayBench;

/// <summary>A child process whose output is kept (and shown when something goes wrong).</summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<string> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string? _readyPrefix;

    private ChildProcess(Process process, string? readyPrefix)
    {
        _process = process;
        _readyPrefix = readyPrefix;
    }

    public int Id => _process.Id;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static ChildProcess Start(string file, IEnumerable<string> arguments, string? readyPrefix = null, IEnumerable<string>? environment = null)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var variable in environment ?? [])
        {
            var equals = variable.IndexOf('=', StringComparison.Ordinal);
            info.Environment[variable[..equals]] = variable[(equals + 1)..];
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var child = new ChildProcess(process, readyPrefix);
        process.OutputDataReceived += (_, e) => child.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => child.OnLine(e.Data);
        process.Exited += (_, _) => child._ready.TrySetException(new InvalidOperationException($"{file} exited:\n{child.Output}"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>The first output line that starts with the ready prefix.</summary>
    public Task<string> Ready => _ready.Task;

    /// <summary>Resident set size in bytes, from /proc (with <paramref name="children"/>, plus that of its direct children: nginx workers).</summary>
    public long ResidentBytes(bool children = false)
    {
        var total = ResidentBytes(_process.Id);
        if (children && File.Exists($"/proc/{_process.Id}/task/{_process.Id}/children"))
        {
            foreach (var child in File.ReadAllText($"/proc/{_process.Id}/task/{_process.Id}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                total += ResidentBytes(int.Parse(child, CultureInfo.InvariantCulture));
            }
        }

        return total;
    }

    /// <summary>User plus system CPU time in seconds, from /proc (with <paramref name="children"/>, plus that of its direct children).</summary>
    public double CpuSeconds(bool children = false)
    {
        var total = CpuSeconds(_process.Id);
        if (children && File.Exists($"/proc/{_process.Id}/task/{_process.Id}/children"))
        {
            foreach (var child in File.ReadAllText($"/proc/{_process.Id}/task/{_process.Id}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                total += CpuSeconds(int.Parse(child, CultureInfo.InvariantCulture));
            }
        }

        return total;
    }

    private static double CpuSeconds(int pid)
    {
        // Fields after the command name (which may contain spaces): utime and stime are the 12th and 13th, in clock ticks (100 Hz).
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    private static long ResidentBytes(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
            }
        }

        return 0;
    }

    /// <summary>
    /// Sends SIGTERM to the descendant whose command line contains <paramref name="marker"/> (the gateway under a
    /// profiler started as a prefix) and waits for the whole tree to exit, so the profiler can write its data.
    /// </summary>
    public async Task StopGracefullyAsync(string marker, TimeSpan timeout)
    {
        foreach (var pid in Descendants(_process.Id))
        {
            var commandLine = File.Exists($"/proc/{pid}/cmdline") ? File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ') : "";
            if (commandLine.Contains(marker, StringComparison.Ordinal))
            {
                using var kill = Process.Start("kill", ["-TERM", pid.ToString(CultureInfo.InvariantCulture)]);
                await kill.WaitForExitAsync();
            }
        }

        using var wait = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            // Killed by DisposeAsync.
        }
    }

    private static List<int> Descendants(int pid)
    {
        var all = new List<int>();
        foreach (var task in Directory.Exists($"/proc/{pid}/task") ? Directory.GetDirectories($"/proc/{pid}/task") : [])
        {
            var children = Path.Combine(task, "children");
            foreach (var child in File.Exists(children) ? File.ReadAllText(children).Split(' ', StringSplitOptions.RemoveEmptyEntries) : [])
            {
                var id = int.Parse(child, CultureInfo.InvariantCulture);
                all.Add(id);
                all.AddRange(Descendants(id));
            }
        }

        return all;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.StandardInput.Close();
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        if (_readyPrefix is not null && line.Contains(_readyPrefix, StringComparison.Ordinal))
        {
            _ready.TrySetResult(line);
        }
    }
}
