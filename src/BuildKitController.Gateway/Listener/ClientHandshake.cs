using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using BuildKitController.Gateway.Diagnostics;
using BuildKitController.Gateway.Routing;
using BuildKitController.Gateway.Tls;

namespace BuildKitController.Gateway.Listener;

/// <summary>
/// Everything before routing: the optional PROXY v2 header, a one-byte peek that tells probes (closed at once) and
/// plain-text clients from TLS, and the TLS handshake (1.2/1.3, ALPN <c>h2</c> then <c>http/1.1</c>, a client
/// certificate required and verified against the pool client CA only), all within the handshake timeout.
/// </summary>
internal sealed class ClientHandshake(Func<ServerTls?> material, bool proxyProtocol, CipherSuitesPolicy? cipherSuites = null)
{
    private const byte TlsHandshakeRecord = 0x16;

    private static readonly List<SslApplicationProtocol> Protocols = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11];

    public async Task<HandshakeOutcome> RunAsync(Socket socket, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(socket);
        EndPoint? remote = socket.RemoteEndPoint;
        var network = new NetworkStream(socket, ownsSocket: false);
        if (proxyProtocol)
        {
            try
            {
                remote = await ProxyProtocolV2.ReadAsync(network, cancellationToken).ConfigureAwait(false) ?? remote;
            }
            catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException or IOException or SocketException)
            {
                return new HandshakeOutcome(null, remote, null, RejectReason.ProxyProtocol);
            }
        }

        var first = new byte[1];
        int peeked;
        try
        {
            peeked = await socket.ReceiveAsync(first, SocketFlags.Peek, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException)
        {
            return new HandshakeOutcome(null, remote, null, RejectReason.ClosedBeforeTls);
        }

        if (peeked == 0)
        {
            return new HandshakeOutcome(null, remote, null, RejectReason.ClosedBeforeTls);
        }

        if (first[0] != TlsHandshakeRecord)
        {
            return new HandshakeOutcome(null, remote, null, RejectReason.NonTls);
        }

        if (material() is not { } tls)
        {
            return new HandshakeOutcome(null, remote, null, RejectReason.HandshakeFailed);
        }

        var rejection = RejectReason.HandshakeFailed;
        var stream = new SslStream(network, leaveInnerStreamOpen: false);
        try
        {
            await stream.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificateContext = tls.Context,
                ClientCertificateRequired = true,
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                ApplicationProtocols = Protocols,
                AllowRenegotiation = false,
                CipherSuitesPolicy = cipherSuites,
                CertificateChainPolicy = ChainTrust.Policy(tls.ClientAuthorities, ChainTrust.ClientAuthentication),
                RemoteCertificateValidationCallback = (_, certificate, chain, _) =>
                {
                    if (certificate is null)
                    {
                        rejection = RejectReason.NoCertificate;
                        return false;
                    }

                    if (!ChainTrust.IsTrusted(chain, tls.ClientAuthorities))
                    {
                        rejection = RejectReason.UntrustedCertificate;
                        return false;
                    }

                    return true;
                },
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException or SocketException or OperationCanceledException)
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            if (ex is OperationCanceledException)
            {
                throw;
            }

            return new HandshakeOutcome(null, remote, null, rejection);
        }

        var token = AllocationTokenReader.Read(stream.RemoteCertificate as X509Certificate2);
        if (token is null)
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            return new HandshakeOutcome(null, remote, null, RejectReason.NoToken);
        }

        return new HandshakeOutcome(stream, remote, token, default);
    }
}
