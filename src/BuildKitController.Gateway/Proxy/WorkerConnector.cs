using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using BuildKitController.Gateway.Routing;
using BuildKitController.Gateway.Tls;

namespace BuildKitController.Gateway.Proxy;

/// <summary>
/// Opens the worker hop: TCP to <c>podIP:port</c>, then TLS presenting the gateway's client certificate and
/// verifying the worker's server certificate against the pool worker CA only (chain and server-auth usage; not the
/// name, since every worker of a pool shares one certificate and is addressed by pod IP). The client's negotiated
/// ALPN protocol is offered to the worker, so gRPC over h2 works end to end.
/// </summary>
internal sealed class WorkerConnector(Func<WorkerTls?> material, TimeSpan timeout, TimeProvider time, CipherSuitesPolicy? cipherSuites = null)
{
    /// <summary>Connects; throws <see cref="WorkerConnectException"/> when the worker cannot be reached or trusted.</summary>
    public async Task<(SslStream Stream, Socket Socket)> ConnectAsync(WorkerRoute route, SslApplicationProtocol protocol, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(route);
        var tls = material() ?? throw new WorkerConnectException("the gateway has no worker client certificate", noMaterial: true);
        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        var socket = new Socket(route.EndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        SslStream? stream = null;
        try
        {
            await socket.ConnectAsync(route.EndPoint, linked.Token).ConfigureAwait(false);
            stream = new SslStream(new NetworkStream(socket, ownsSocket: true), leaveInnerStreamOpen: false);
            var anchors = tls.WorkerAuthorities;
            await stream.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = route.EndPoint.Address.ToString(),
                ClientCertificateContext = tls.Context,
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                ApplicationProtocols = protocol == default ? null : [protocol],
                CipherSuitesPolicy = cipherSuites,
                CertificateChainPolicy = ChainTrust.Policy(anchors, ChainTrust.ServerAuthentication),
                RemoteCertificateValidationCallback = (_, certificate, chain, _) => certificate is not null && ChainTrust.IsTrusted(chain, anchors),
                AllowRenegotiation = false,
            }, linked.Token).ConfigureAwait(false);
            return (stream, socket);
        }
        catch (Exception ex) when (ex is SocketException or IOException or AuthenticationException or OperationCanceledException)
        {
            if (stream is not null)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }

            socket.Dispose();
            if (ex is OperationCanceledException && cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            throw new WorkerConnectException(ex is OperationCanceledException ? $"no connection within {timeout}" : ex.Message, noMaterial: false, ex);
        }
    }
}
