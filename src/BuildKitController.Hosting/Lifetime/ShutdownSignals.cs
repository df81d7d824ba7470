using System.Runtime.InteropServices;

namespace BuildKitController.Hosting.Lifetime;

/// <summary>
/// SIGTERM, SIGINT and SIGQUIT start a graceful shutdown (the controller stops, the gateway drains); a second signal
/// takes the default action and ends the process at once.
/// </summary>
public sealed class ShutdownSignals : IDisposable
{
    private readonly CancellationTokenSource _shutdown;
    private readonly Action<string> _received;
    private readonly PosixSignalRegistration[] _registrations;
    private int _count;

    /// <param name="shutdown">Cancelled on the first signal.</param>
    /// <param name="received">Told the name of the first signal (for the process's log line).</param>
    public ShutdownSignals(CancellationTokenSource shutdown, Action<string> received)
    {
        _shutdown = shutdown;
        _received = received;
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
        if (Interlocked.Increment(ref _count) > 1)
        {
            return; // default action: terminate now
        }

        context.Cancel = true;
        _received(context.Signal.ToString());
        _shutdown.Cancel();
    }
}
