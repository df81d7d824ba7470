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
