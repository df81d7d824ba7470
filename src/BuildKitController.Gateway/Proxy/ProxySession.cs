using System.Buffers;
using System.Net.Security;
using System.Net.Sockets;
using BuildKitController.Gateway.Activity;
using BuildKitController.Gateway.Diagnostics;

namespace BuildKitController.Gateway.Proxy;

/// <summary>
/// The byte copy between a client and its worker, both TLS. Each direction waits for data with a zero-byte read
/// (no buffer held while a connection is idle, which is what keeps 10,000 idle connections cheap), then copies
/// through a pooled buffer and awaits the write before reading again (back-pressure: a peer that stops reading
/// stops its own sender, not the gateway). When one side ends its stream, the other side's write half is shut
/// down (TLS close_notify, then TCP FIN) and the opposite direction goes on until it ends too. A failure in either
/// direction, or <see cref="Abort"/>, closes both.
/// </summary>
internal sealed class ProxySession(
    SslStream client, Socket clientSocket, SslStream worker, Socket workerSocket, WorkerActivity activity, TimeProvider time, int bufferSize, GatewayMetrics metrics) : IDisposable
{
    private const long MetricFlushBytes = 1 << 20;

    private readonly CancellationTokenSource _abort = new();
    private string? _cause;
    private long _lastActivityTicks = time.GetUtcNow().UtcTicks;
    private long _clientBytes;
    private long _workerBytes;

    public DateTimeOffset StartedAt { get; } = time.GetUtcNow();

    /// <summary>The client hop (tests and diagnostics).</summary>
    internal SslStream Client => client;

    /// <summary>The worker hop (tests and diagnostics).</summary>
    internal SslStream Worker => worker;

    public long LastActivityTicks => Volatile.Read(ref _lastActivityTicks);

    public long ClientBytes => Interlocked.Read(ref _clientBytes);

    public long WorkerBytes => Interlocked.Read(ref _workerBytes);

    /// <summary>Why the session ended: <c>completed</c>, <c>reset</c>, or the cause given to <see cref="Abort"/>.</summary>
    public string Cause => Volatile.Read(ref _cause) ?? "completed";

    /// <summary>Closes both sides (idle timeout, lifetime, drain timeout); the first cause wins.</summary>
    public void Abort(string cause)
    {
        Interlocked.CompareExchange(ref _cause, cause, null);
        try
        {
            _abort.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Already over.
        }
    }

    public async Task RunAsync()
    {
        var token = _abort.Token;
        var up = PumpAsync(client, clientSocket, worker, workerSocket, clientToWorker: true, token);
        var down = PumpAsync(worker, workerSocket, client, clientSocket, clientToWorker: false, token);
        await Task.WhenAll(up, down).ConfigureAwait(false);
    }

    public void Dispose() => _abort.Dispose();

    private async Task PumpAsync(SslStream from, Socket fromSocket, SslStream to, Socket toSocket, bool clientToWorker, CancellationToken cancellationToken)
    {
        await Task.Yield();
        var pool = ArrayPool<byte>.Shared;
        byte[]? buffer = null;
        long unflushed = 0;
        try
        {
            while (true)
            {
                if (buffer is null)
                {
                    // Wait for data without holding a buffer.
                    await from.ReadAsync(Memory<byte>.Empty, cancellationToken).ConfigureAwait(false);
                    buffer = pool.Rent(bufferSize);
                }

                var read = await from.ReadAsync(buffer.AsMemory(0, bufferSize), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                Touch();
                await to.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                Interlocked.Add(ref clientToWorker ? ref _clientBytes : ref _workerBytes, read);
                unflushed += read;
                if (unflushed >= MetricFlushBytes)
                {
                    metrics.Bytes(clientToWorker, unflushed);
                    unflushed = 0;
                }

                if (fromSocket.Available == 0)
                {
                    // Nothing more on the wire: give the buffer back while waiting (bytes SslStream already holds
                    // make the zero-byte read complete at once).
                    pool.Return(buffer);
                    buffer = null;
                }
            }

            // The source ended its stream: end ours towards the other side, keep the opposite direction open.
            Touch();
            await to.ShutdownAsync().ConfigureAwait(false);
            toSocket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            Abort("reset");
        }
        finally
        {
            if (buffer is not null)
            {
                pool.Return(buffer);
            }

            metrics.Bytes(clientToWorker, unflushed);
        }
    }

    private void Touch()
    {
        var now = time.GetUtcNow().UtcTicks;
        Volatile.Write(ref _lastActivityTicks, now);
        activity.Touch(now);
    }
}
