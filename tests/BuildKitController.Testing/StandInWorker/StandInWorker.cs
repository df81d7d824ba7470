using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace BuildKitController.Testing.StandInWorker;

/// <summary>
/// A stand-in for a BuildKit worker's TLS endpoint (SPEC §5): it serves the worker certificate, requires a client
/// certificate that chains to the trusted worker CA (the gateway's), negotiates ALPN, and answers the line
/// protocol of <see cref="StandInCommands"/> with its own identity, so the whole data path runs over real TLS.
/// </summary>
public sealed class StandInWorker : IAsyncDisposable
{
    private readonly StandInWorkerOptions _options;
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _lock = new();
    private readonly List<Task> _connections = [];
    private TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _holding = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _accepting = Task.CompletedTask;
    private int _accepted;
    private int _authenticated;
    private int _refused;
    private int _open;

    private StandInWorker(StandInWorkerOptions options, Socket listener)
    {
        _options = options;
        _listener = listener;
        EndPoint = (IPEndPoint)listener.LocalEndPoint!;
    }

    public string Name => _options.Name;

    /// <summary>The address it listens on (port resolved).</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary>TCP connections accepted.</summary>
    public int AcceptedConnections => Volatile.Read(ref _accepted);

    /// <summary>Connections that completed the mutual TLS handshake.</summary>
    public int AuthenticatedConnections => Volatile.Read(ref _authenticated);

    /// <summary>Handshakes refused (no or untrusted client certificate, or not TLS).</summary>
    public int RefusedConnections => Volatile.Read(ref _refused);

    /// <summary>Authenticated connections currently open.</summary>
    public int OpenConnections => Volatile.Read(ref _open);

    /// <summary>Binds and starts accepting. Throws <see cref="SocketException"/> when the address is taken.</summary>
    public static StandInWorker Start(StandInWorkerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var listener = new Socket(options.EndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.Bind(options.EndPoint);
            listener.Listen(1024);
        }
        catch
        {
            listener.Dispose();
            throw;
        }

        var worker = new StandInWorker(options, listener);
        worker._accepting = worker.AcceptLoopAsync();
        return worker;
    }

    /// <summary>Completes when a connection is in <c>HOLD</c> (the next one after each <see cref="ReleaseHeld"/>).</summary>
    public Task WaitForHoldAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return _holding.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Answers <c>RELEASED</c> on every connection held so far.</summary>
    public void ReleaseHeld()
    {
        lock (_lock)
        {
            _release.TrySetResult();
            _release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _holding = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        await _accepting;
        Task[] open;
        lock (_lock)
        {
            open = [.. _connections];
        }

        await Task.WhenAll(open);
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            Interlocked.Increment(ref _accepted);
            socket.NoDelay = true;
            var task = ServeAsync(socket);
            lock (_lock)
            {
                _connections.RemoveAll(t => t.IsCompleted);
                _connections.Add(task);
            }
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        await Task.Yield();
        await using var network = new NetworkStream(socket, ownsSocket: true);
        await using var tls = new SslStream(network, leaveInnerStreamOpen: false);
        try
        {
            using var handshake = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            handshake.CancelAfter(TimeSpan.FromSeconds(30));
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificate = _options.ServerCertificate,
                ClientCertificateRequired = true,
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                ApplicationProtocols = [.. _options.ApplicationProtocols.Select(p => new SslApplicationProtocol(p))],
                CertificateChainPolicy = TrustPolicy(),
                RemoteCertificateValidationCallback = (_, certificate, _, errors) => certificate is not null && errors == SslPolicyErrors.None,
            }, handshake.Token);
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException or OperationCanceledException or SocketException)
        {
            Interlocked.Increment(ref _refused);
            return;
        }

        Interlocked.Increment(ref _authenticated);
        Interlocked.Increment(ref _open);
        try
        {
            await new Session(this, tls, socket).RunAsync(_stop.Token);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // The peer went away or the worker stops.
        }
        finally
        {
            Interlocked.Decrement(ref _open);
        }
    }

    private X509ChainPolicy TrustPolicy()
    {
        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
        };
        policy.CustomTrustStore.AddRange(_options.TrustedClientAuthorities);
        return policy;
    }

    private Task HeldAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _holding.TrySetResult();
            return _release.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>One authenticated connection: reads commands, answers them.</summary>
    private sealed class Session(StandInWorker owner, SslStream tls, Socket socket)
    {
        private readonly byte[] _buffer = new byte[64 * 1024];
        private int _start;
        private int _end;

        public async Task RunAsync(CancellationToken cancellationToken)
        {
            while (await ReadLineAsync(cancellationToken) is { } line)
            {
                var space = line.IndexOf(' ', StringComparison.Ordinal);
                var command = space < 0 ? line : line[..space];
                var argument = space < 0 ? "" : line[(space + 1)..];
                switch (command)
                {
                    case StandInCommands.Identity:
                        await WriteLineAsync(owner.Name, cancellationToken);
                        break;
                    case StandInCommands.Alpn:
                        var protocol = tls.NegotiatedApplicationProtocol.ToString();
                        await WriteLineAsync(protocol.Length == 0 ? "-" : protocol, cancellationToken);
                        break;
                    case StandInCommands.Echo:
                        await WriteLineAsync(argument, cancellationToken);
                        break;
                    case StandInCommands.Stream:
                        await StreamAsync(long.Parse(argument, CultureInfo.InvariantCulture), cancellationToken);
                        await DrainAsync(cancellationToken);
                        return;
                    case StandInCommands.Sink:
                        var received = await DrainAsync(cancellationToken);
                        await WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{StandInCommands.Received} {received}"), cancellationToken);
                        await tls.ShutdownAsync();
                        socket.Shutdown(SocketShutdown.Send);
                        return;
                    case StandInCommands.Hold:
                        await WriteLineAsync(StandInCommands.Holding, cancellationToken);
                        await owner.HeldAsync(cancellationToken);
                        await WriteLineAsync(StandInCommands.Released, cancellationToken);
                        break;
                    default:
                        await WriteLineAsync($"ERROR unknown command {command}", cancellationToken);
                        break;
                }
            }
        }

        private async Task StreamAsync(long count, CancellationToken cancellationToken)
        {
            // The pattern repeats every 251 bytes: one precomputed block serves every offset.
            const int chunk = 64 * 1024;
            var pattern = new byte[chunk + 251];
            for (var i = 0; i < pattern.Length; i++)
            {
                pattern[i] = StandInCommands.PatternAt(i);
            }

            long sent = 0;
            while (sent < count)
            {
                var n = (int)Math.Min(chunk, count - sent);
                await tls.WriteAsync(pattern.AsMemory((int)(sent % 251), n), cancellationToken);
                sent += n;
            }

            await tls.ShutdownAsync();
            socket.Shutdown(SocketShutdown.Send);
        }

        /// <summary>Reads until the peer half-closes; returns the bytes read (buffered ones included).</summary>
        private async Task<long> DrainAsync(CancellationToken cancellationToken)
        {
            long total = _end - _start;
            _start = _end = 0;
            int n;
            while ((n = await tls.ReadAsync(_buffer, cancellationToken)) > 0)
            {
                total += n;
            }

            return total;
        }

        private async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
        {
            while (true)
            {
                var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
                if (newline >= 0)
                {
                    var line = Encoding.ASCII.GetString(_buffer, _start, newline - _start).TrimEnd('\r');
                    _start = newline + 1;
                    return line;
                }

                if (_start > 0)
                {
                    Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                    _end -= _start;
                    _start = 0;
                }

                if (_end == _buffer.Length)
                {
                    throw new IOException("line too long");
                }

                var n = await tls.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
                if (n == 0)
                {
                    return null;
                }

                _end += n;
            }
        }

        private async Task WriteLineAsync(string line, CancellationToken cancellationToken)
        {
            await tls.WriteAsync(Encoding.ASCII.GetBytes(line + "\n"), cancellationToken);
            await tls.FlushAsync(cancellationToken);
        }
    }
}
