using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using BuildKitController.Core.Allocation;
using BuildKitController.Gateway.Tests.Support;
using BuildKitController.Gateway.Tls;
using BuildKitController.Testing.StandInWorker;
using Microsoft.Extensions.Logging.Abstractions;

namespace BuildKitController.Gateway.Tests.Tls;

public sealed class OpenSslBuffersTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(SslProtocols.Tls13)]
    [InlineData(SslProtocols.Tls12)]
    public async Task Release_buffers_mode_is_set_on_both_ends_and_bytes_still_flow_both_ways(SslProtocols protocol)
    {
        using var pki = new PoolPki("ci");
        var (server, client) = await ConnectedPairAsync(pki, protocol);
        await using var serverStream = server;
        await using var clientStream = client;
        Assert.Equal(0, ModeBit(serverStream));
        Assert.Equal(0, ModeBit(clientStream));

        Assert.True(OpenSslBuffers.TryEnable(serverStream, isServer: true, NullLogger.Instance), OpenSslBuffers.UnavailableReason);
        Assert.True(OpenSslBuffers.TryEnable(clientStream, isServer: false, NullLogger.Instance), OpenSslBuffers.UnavailableReason);
        Assert.Equal(OpenSslBuffers.ReleaseBuffersMode, ModeBit(serverStream));
        Assert.Equal(OpenSslBuffers.ReleaseBuffersMode, ModeBit(clientStream));

        // Records of every size, in both directions at once, with partial reads: OpenSSL frees and re-allocates its
        // buffers between records, and nothing may be lost or reordered.
        var payload = RandomNumberGenerator.GetBytes(3 << 20);
        var up = CopyAsync(clientStream, serverStream, payload);
        var down = CopyAsync(serverStream, clientStream, payload);
        Assert.Equal(payload, await up);
        Assert.Equal(payload, await down);
    }

    [Fact]
    public async Task Without_the_call_the_mode_stays_off()
    {
        using var pki = new PoolPki("ci");
        var (server, client) = await ConnectedPairAsync(pki, SslProtocols.Tls13);
        await using var serverStream = server;
        await using var clientStream = client;
        Assert.True(OpenSslBuffers.TryEnable(serverStream, isServer: true, NullLogger.Instance), OpenSslBuffers.UnavailableReason);
        Assert.Equal(0, ModeOf(clientStream) & OpenSslBuffers.ReleaseBuffersMode);
    }

    [Fact]
    public async Task A_wrong_role_is_detected_and_nothing_is_set()
    {
        using var pki = new PoolPki("ci");
        var (server, client) = await ConnectedPairAsync(pki, SslProtocols.Tls13);
        await using var serverStream = server;
        await using var clientStream = client;
        Assert.True(OpenSslBuffers.TryEnable(serverStream, isServer: true, NullLogger.Instance));

        // The check that guards against a handle that is not what we think: SSL_is_server must match.
        Assert.False(OpenSslBuffers.CheckOnly(clientStream, isServer: true));
        Assert.True(OpenSslBuffers.CheckOnly(clientStream, isServer: false));
    }

    [Fact]
    public async Task The_gateway_sets_the_mode_on_both_hops_of_a_proxied_connection_unless_turned_off()
    {
        foreach (var enabled in new[] { true, false })
        {
            await using var h = await GatewayHarness.StartAsync(o => o with { OpenSslReleaseBuffers = enabled });
            var token = AllocationToken.Create();
            await h.AddAllocatedWorkerAsync("ci-worker-0", token);
            using var root = X509Certificate2.CreateFromPem(h.Pki.Root.CertificatePem);
            using var certificate = h.Pki.Allocation(token);
            await using var client = await StandInClient.ConnectAsync(h.EndPoint, certificate, root, Ct);
            Assert.Equal("ci-worker-0", await client.AskAsync("IDENTITY", Ct));

            var session = Assert.Single(h.Host.Listener!.Sessions);
            Assert.Equal(enabled ? OpenSslBuffers.ReleaseBuffersMode : 0, ModeOf(session.Client) & OpenSslBuffers.ReleaseBuffersMode);
            Assert.Equal(enabled ? OpenSslBuffers.ReleaseBuffersMode : 0, ModeOf(session.Worker) & OpenSslBuffers.ReleaseBuffersMode);

            // Still a working proxy after the buffers were released while idle.
            Assert.Equal("again", await client.AskAsync("ECHO again", Ct));
        }
    }

    private static long ModeOf(SslStream stream) => OpenSslBuffers.ModeOf(stream) ?? throw new InvalidOperationException("mode unreadable");

    private static long? ModeBit(SslStream stream) => OpenSslBuffers.ModeOf(stream) is { } mode ? mode & OpenSslBuffers.ReleaseBuffersMode : null;

    private static async Task<byte[]> CopyAsync(SslStream from, SslStream to, byte[] payload)
    {
        var send = Task.Run(async () =>
        {
            for (var offset = 0; offset < payload.Length;)
            {
                var size = Math.Min(payload.Length - offset, 1 + (offset % 40_000));
                await from.WriteAsync(payload.AsMemory(offset, size), Ct);
                offset += size;
            }
        }, Ct);
        var received = new byte[payload.Length];
        for (var offset = 0; offset < received.Length;)
        {
            offset += await to.ReadAsync(received.AsMemory(offset, Math.Min(received.Length - offset, 5_000)), Ct);
        }

        await send;
        return received;
    }

    private static async Task<(SslStream Server, SslStream Client)> ConnectedPairAsync(PoolPki pki, SslProtocols protocol)
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var clientSocket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var accept = listener.AcceptAsync(Ct);
        await clientSocket.ConnectAsync(listener.LocalEndPoint!, Ct);
        var serverSocket = await accept;
        using var serverCertificate = pki.WorkerServerCertificate();
        using var clientCertificate = X509Certificate2.CreateFromPem(pki.GatewayClient.CertificatePem, pki.GatewayClient.KeyPem);
        var server = new SslStream(new NetworkStream(serverSocket, ownsSocket: true));
        var client = new SslStream(new NetworkStream(clientSocket, ownsSocket: true));
        await Task.WhenAll(
            server.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificate = serverCertificate,
                ClientCertificateRequired = true,
                EnabledSslProtocols = protocol,
                RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null,
            }, Ct),
            client.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "localhost",
                ClientCertificates = [clientCertificate],
                EnabledSslProtocols = protocol,
                RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null,
            }, Ct));
        Assert.Equal(protocol, server.SslProtocol);
        return (server, client);
    }
}
