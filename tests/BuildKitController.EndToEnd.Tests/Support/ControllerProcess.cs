using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using BuildKitController.Testing;

namespace BuildKitController.EndToEnd.Tests.Support;

/// <summary>
/// The real controller (<c>buildkit-controller run</c>, built with the tests) as a child process against the fake
/// API server; its log goes to the test output. Started, it reports the allocation API address it bound.
/// </summary>
internal sealed partial class ControllerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();
    private readonly TaskCompletionSource<Uri> _api = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ControllerProcess(Process process) => _process = process;

    public Uri ApiAddress => _api.Task.Result;

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public static async Task<ControllerProcess> StartAsync(string kubeconfigPath, CancellationToken cancellationToken)
    {
        var dll = Directory.EnumerateFiles(RepositoryFiles.PathOf("src", "BuildKitController.Operator", "bin"), "buildkit-controller.dll", SearchOption.AllDirectories)
            .OrderByDescending(File.GetLastWriteTimeUtc)
            .First();
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { dll, "run", "--kubeconfig", kubeconfigPath, "--metrics-bind-address", "0", "--health-probe-bind-address", "0", "--api-bind-address", "127.0.0.1:0" },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.Environment["CONTROLLER_NAMESPACE"] = "buildkit-system";
        start.Environment["LOG_LEVEL"] = "info";
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var controller = new ControllerProcess(process);
        process.ErrorDataReceived += (_, e) => controller.OnLine(e.Data);
        process.OutputDataReceived += (_, e) => controller.OnLine(e.Data);
        process.Exited += (_, _) => controller._api.TrySetException(new InvalidOperationException($"the controller exited early:\n{controller.Log}"));
        process.Start();
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        await controller._api.Task.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
        return controller;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None);
        }

        _process.Dispose();
    }

    [GeneratedRegex(@"Allocation API listening on (?<address>http\S+)")]
    private static partial Regex ApiListening();

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }

        if (ApiListening().Match(line) is { Success: true } match)
        {
            _api.TrySetResult(new Uri(match.Groups["address"].Value));
        }
    }
}
