using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using BuildKitController.Gateway.Activity;
using BuildKitController.Gateway.Diagnostics;
using BuildKitController.Gateway.Hosting;
using BuildKitController.Gateway.Proxy;
using BuildKitController.Gateway.Routing;
using BuildKitController.Gateway.Tls;

namespace BuildKitController.Gateway.Listener;

/// <summary>
/// The client-facing listener: accepts TCP connections, applies the connection cap, runs the
/// <see cref="ClientHandshake"/> under the handshake timeout, routes the token through the
/// <see cref="WorkerDirectory"/>, opens the worker hop and runs a <see cref="ProxySession"/>. Every connection is
/// handled on its own task, so a slow, stalled or hostile client only ever holds its own socket. A periodic sweep
/// closes sessions past the idle timeout or the maximum lifetime. <see cref="DrainAsync"/> stops accepting and
/// waits for open sessions up to a grace period.
/// </summary>
internal sealed class GatewayListener : IAsyncDisposable
{
    private readonly GatewayOptions _options;
    private readonly ClientHandshake _handshake;
    private readonly WorkerDirectory _directory;
    private readonly WorkerConnector _connector;
    private readonly ActivityTracker _activity;
    private readonly GatewayMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConnectionTracker _connections;
    private readonly CancellationTokenSource _stopHandshakes = new();
    private readonly Socket _socket;
    private readonly TaskCompletionSource _drainStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ITimer? _sweep;
    private volatile bool _draining;

    public GatewayListener(GatewayOptions options, ClientHandshake handshake, WorkerDirectory directory, WorkerConnector connector, ActivityTracker activity,
        GatewayMetrics metrics, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _handshake = handshake;
        _directory = directory;
        _connector = connector;
        _activity = activity;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _connections = new ConnectionTracker(options.MaxConnections);
        _socket = new Socket(options.ListenEndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        if (options.ListenEndPoint.AddressFamily == AddressFamily.InterNetworkV6)
        {
            _socket.DualMode = true;
        }
    }

    /// <summary>The bound address (port 0 resolved), once <see cref="Start"/> ran.</summary>
    public IPEndPoint? LocalEndPoint { get; private set; }

    /// <summary>Client connections open (handshaking or proxied).</summary>
    public int OpenConnections => _connections.Open;

    /// <summary>Connections being proxied.</summary>
    public int ActiveSessions => _connections.Sessions;

    /// <summary>The sessions being proxied (tests and diagnostics).</summary>
    internal IEnumerable<ProxySession> Sessions => _connections.All;

    public bool IsDraining => _draining;

    /// <summary>Completes when a drain has begun (the listener is closed and readiness reports draining).</summary>
    public Task DrainStarted => _drainStarted.Task;

    /// <summary>Completes when no client connection is open (every outcome of earlier connections is recorded by then).</summary>
    public Task WhenIdleAsync(CancellationToken cancellationToken) => _connections.WhenEmptyAsync(cancellationToken);

    /// <summary>Binds and listens; throws <see cref="SocketException"/> when the address is taken.</summary>
    public void Start()
    {
        _socket.Bind(_options.ListenEndPoint);
        _socket.Listen(4096);
        LocalEndPoint = (IPEndPoint)_socket.LocalEndPoint!;
        _sweep = _time.CreateTimer(_ => Sweep(), null, _options.SweepInterval, _options.SweepInterval);
    }

    /// <summary>Accepts until <paramref name="cancellationToken"/> is cancelled (then stops accepting).</summary>
    public async Task AcceptAsync(CancellationToken cancellationToken)
    {
        using var registration = cancellationToken.Register(() => _socket.Dispose());
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _socket.AcceptAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionAborted or SocketError.ConnectionReset)
            {
                continue;
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.OperationAborted or SocketError.Interrupted)
            {
                return;
            }
            catch (SocketException ex)
            {
                // Out of file descriptors and the like: log, back off briefly, go on.
                GatewayLog.AcceptFailed(_logger, ex);
                await Task.Delay(TimeSpan.FromMilliseconds(100), _time, cancellationToken).ConfigureAwait(false);
                continue;
            }

            client.NoDelay = true;
            _ = HandleAsync(client);
        }
    }

    /// <summary>
    /// Stops new handshakes and lets proxied connections finish for up to <paramref name="grace"/>; then closes
    /// the rest. Returns the number of connections cut.
    /// </summary>
    public async Task<int> DrainAsync(TimeSpan grace, CancellationToken cancellationToken)
    {
        _draining = true;
        _socket.Dispose();
        await _stopHandshakes.CancelAsync().ConfigureAwait(false);
        GatewayLog.Draining(_logger, _connections.Open, grace);
        _drainStarted.TrySetResult();
        using var deadline = new CancellationTokenSource(grace, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        try
        {
            await _connections.WhenEmptyAsync(linked.Token).ConfigureAwait(false);
            GatewayLog.Drained(_logger);
            return 0;
        }
        catch (OperationCanceledException)
        {
            var cut = 0;
            foreach (var session in _connections.All)
            {
                session.Abort("drain_timeout");
                cut++;
            }

            GatewayLog.DrainTimedOut(_logger, cut);
            await _connections.WhenEmptyAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10), _time, CancellationToken.None).ConfigureAwait(false);
            return cut;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _socket.Dispose();
        if (_sweep is not null)
        {
            await _sweep.DisposeAsync().ConfigureAwait(false);
        }

        _stopHandshakes.Dispose();
    }

    private async Task HandleAsync(Socket socket)
    {
        await Task.Yield();
        if (!_connections.TryEnter())
        {
            Reject(socket.RemoteEndPoint, RejectReason.ConnectionLimit);
            socket.Dispose();
            return;
        }

        try
        {
            await HandleEnteredAsync(socket).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            GatewayLog.ConnectionFailed(_logger, ex, socket.RemoteEndPoint);
        }
        finally
        {
            socket.Dispose();
            _connections.Exit();
        }
    }

    private async Task HandleEnteredAsync(Socket socket)
    {
        _metrics.HandshakeStarted();
        var handshaking = true;
        try
        {
            var started = _time.GetTimestamp();
            HandshakeOutcome outcome;
            using (var timeout = new CancellationTokenSource(_options.HandshakeTimeout, _time))
            using (var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, _stopHandshakes.Token))
            {
                try
                {
                    outcome = await _handshake.RunAsync(socket, linked.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    Reject(socket.RemoteEndPoint, _stopHandshakes.IsCancellationRequested ? RejectReason.Draining : RejectReason.HandshakeTimeout);
                    return;
                }
            }

            if (outcome.Stream is not { } client)
            {
                Reject(outcome.Remote, outcome.Rejection);
                return;
            }

            await using (client.ConfigureAwait(false))
            {
                _metrics.Handshake(_time.GetElapsedTime(started));
                var lookupStarted = _time.GetTimestamp();
                var route = _directory.Resolve(outcome.Token!, _time.GetUtcNow());
                _metrics.Lookup(_time.GetElapsedTime(lookupStarted));
                if (route.Route is not { } target)
                {
                    Reject(outcome.Remote, route.Rejection);
                    return;
                }

                SslStream worker;
                Socket workerSocket;
                try
                {
                    (worker, workerSocket) = await _connector.ConnectAsync(target, client.NegotiatedApplicationProtocol, _stopHandshakes.Token).ConfigureAwait(false);
                }
                catch (WorkerConnectException ex)
                {
                    GatewayLog.WorkerConnectFailed(_logger, target.WorkerName, target.EndPoint, ex.Message);
                    Reject(outcome.Remote, ex.NoMaterial ? RejectReason.NoWorkerTls : RejectReason.WorkerConnectFailed);
                    return;
                }
                catch (OperationCanceledException)
                {
                    Reject(outcome.Remote, RejectReason.Draining);
                    return;
                }

                await using (worker.ConfigureAwait(false))
                {
                    handshaking = false;
                    _metrics.HandshakeEnded();
                    await ProxyAsync(client, socket, worker, workerSocket, target, outcome.Remote).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            if (handshaking)
            {
                _metrics.HandshakeEnded();
            }
        }
    }

    private async Task ProxyAsync(SslStream client, Socket clientSocket, SslStream worker, Socket workerSocket, WorkerRoute route, EndPoint? remote)
    {
        if (_options.OpenSslReleaseBuffers)
        {
            // Both handshakes are done and the copy loops have not started: nothing else uses the SSL objects.
            OpenSslBuffers.TryEnable(client, isServer: true, _logger);
            OpenSslBuffers.TryEnable(worker, isServer: false, _logger);
        }

        var activity = _activity.Enter(route, _time.GetUtcNow());
        using var session = new ProxySession(client, clientSocket, worker, workerSocket, activity, _time, _options.CopyBufferSize, _metrics);
        var id = _connections.Add(session);
        _metrics.ProxyStarted();
        GatewayLog.Proxying(_logger, remote, route.WorkerName, route.EndPoint, client.NegotiatedApplicationProtocol.ToString());
        try
        {
            await session.RunAsync().ConfigureAwait(false);
        }
        finally
        {
            _connections.Remove(id);
            activity.Exit(_time.GetUtcNow());
            var duration = _time.GetUtcNow() - session.StartedAt;
            _metrics.ProxyEnded(duration, session.Cause);
            GatewayLog.Closed(_logger, remote, route.WorkerName, session.Cause, duration, session.ClientBytes, session.WorkerBytes);
        }
    }

    private void Reject(EndPoint? remote, RejectReason reason)
    {
        _metrics.Rejected(reason);
        GatewayLog.Rejected(_logger, remote, RejectReasons.Label(reason));
    }

    private void Sweep()
    {
        var now = _time.GetUtcNow();
        foreach (var session in _connections.All)
        {
            if (now - session.StartedAt >= _options.MaxConnectionLifetime)
            {
                session.Abort("max_lifetime");
            }
            else if (now.UtcTicks - session.LastActivityTicks >= _options.IdleTimeout.Ticks)
            {
                session.Abort("idle_timeout");
            }
        }
    }
}
