using System.Runtime.InteropServices;
using BuildKitController.Gateway.Diagnostics;

namespace BuildKitController.Gateway.Cli;

/// <summary>SIGTERM, SIGINT and SIGQUIT start the drain; a second signal takes the default action (exit at once).</summary>
internal sealed class ShutdownSignals : IDisposable
{
    private readonly CancellationTokenSource _shutdown;
    private readonly ILogger _logger;
    private readonly PosixSignalRegistration[] _registrations;
    private int _received;

    public ShutdownSignals(CancellationTokenSource shutdown, ILogger logger)
    {
        _shutdown = shutdown;
        _logger = logger;
        _registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle),
            PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle),
            PosixSignalRegistration.Create(PosixSignal.SIGQUIT, Handle),
        ];
    }

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }
    }

    private void Handle(PosixSignalContext context)
    {
        if (Interlocked.Increment(ref _received) > 1)
        {
            return;
        }

        context.Cancel = true;
        GatewayLog.SignalReceived(_logger, context.Signal.ToString());
        _shutdown.Cancel();
    }
}
