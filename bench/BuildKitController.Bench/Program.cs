using System.CommandLine;
using System.Runtime.InteropServices;
using BuildKitController.Bench;

// SIGINT/SIGTERM stop the run in order (the controller child is killed, the report so far is written). The
// benchmark handles them itself rather than through System.CommandLine, because the fake API server's web host
// registers its own handlers for the same signals.
using var stop = new CancellationTokenSource();
void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    _ = Task.Run(stop.Cancel);
}

using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
return await BenchCommand.Create().Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }, stop.Token);
