using System.Net;
using System.Security.Cryptography.X509Certificates;
using BuildKitController.Core.Allocation;
using BuildKitController.Gateway.Listener;
using BuildKitController.Gateway.Tests.Support;
using BuildKitController.Testing.StandInWorker;

namespace BuildKitController.Gateway.Tests.Listener;

public sealed class ProxyProtocolTests
{
    private static readonly byte[] Signature = [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static byte[] Header(byte command, byte family, byte[] payload) =>
        [.. Signature, (byte)(0x20 | command), family, (byte)(payload.Length >> 8), (byte)payload.Length, .. payload];

    private static byte[] Tcp4(string source, int sourcePort) =>
        [.. IPAddress.Parse(source).GetAddressBytes(), 10, 0, 0, 1, (byte)(sourcePort >> 8), (byte)sourcePort, 0x04, 0xD3];

    [Fact]
    public async Task Parses_tcp4_tcp6_and_local_and_rejects_malformed_headers()
    {
        using var v4 = new MemoryStream(Header(1, 0x11, Tcp4("203.0.113.7", 51000)));
        Assert.Equal(new IPEndPoint(IPAddress.Parse("203.0.113.7"), 51000), await ProxyProtocolV2.ReadAsync(v4, Ct));

        byte[] v6Payload = [.. IPAddress.Parse("2001:db8::5").GetAddressBytes(), .. IPAddress.IPv6Loopback.GetAddressBytes(), 0x30, 0x39, 0x04, 0xD3];
        using var v6 = new MemoryStream(Header(1, 0x21, v6Payload));
        Assert.Equal(new IPEndPoint(IPAddress.Parse("2001:db8::5"), 12345), await ProxyProtocolV2.ReadAsync(v6, Ct));

        using var local = new MemoryStream(Header(0, 0x00, []));
        Assert.Null(await ProxyProtocolV2.ReadAsync(local, Ct));

        // TLVs after the addresses are skipped.
        using var withTlv = new MemoryStream(Header(1, 0x11, [.. Tcp4("198.51.100.1", 1), 0x04, 0x00, 0x01, 0xFF]));
        Assert.Equal(IPAddress.Parse("198.51.100.1"), (await ProxyProtocolV2.ReadAsync(withTlv, Ct))!.Address);

        using var notProxy = new MemoryStream("GET / HTTP/1.1\r\n\r\n\r\n\r\n"u8.ToArray());
        await Assert.ThrowsAsync<InvalidDataException>(() => ProxyProtocolV2.ReadAsync(notProxy, Ct));
        using var shortAddresses = new MemoryStream(Header(1, 0x11, [1, 2, 3]));
        await Assert.ThrowsAsync<InvalidDataException>(() => ProxyProtocolV2.ReadAsync(shortAddresses, Ct));
        using var truncated = new MemoryStream(Signature);
        await Assert.ThrowsAsync<EndOfStreamException>(() => ProxyProtocolV2.ReadAsync(truncated, Ct));
        byte[] version1 = [.. Signature, 0x11, 0x11, 0, 12, .. Tcp4("192.0.2.1", 1)];
        using var wrongVersion = new MemoryStream(version1);
        await Assert.ThrowsAsync<InvalidDataException>(() => ProxyProtocolV2.ReadAsync(wrongVersion, Ct));
    }

    [Fact]
    public async Task With_the_flag_a_header_is_required_before_TLS()
    {
        await using var h = await GatewayHarness.StartAsync(o => o with { ProxyProtocol = true });
        var token = AllocationToken.Create();
        await h.AddAllocatedWorkerAsync("ci-worker-0", token);
        using var root = X509Certificate2.CreateFromPem(h.Pki.Root.CertificatePem);
        using var certificate = h.Pki.Allocation(token);

        await using (var client = await StandInClient.ConnectAsync(h.EndPoint, certificate, root, Ct, preface: Header(1, 0x11, Tcp4("203.0.113.7", 51000))))
        {
            Assert.Equal("ci-worker-0", await client.AskAsync("IDENTITY", Ct));
        }

        await using (var balancerCheck = await StandInClient.ConnectAsync(h.EndPoint, certificate, root, Ct, preface: Header(0, 0x00, [])))
        {
            Assert.Equal("ci-worker-0", await balancerCheck.AskAsync("IDENTITY", Ct));
        }

        Assert.True(await Refusals.IsRefusedAsync(h.EndPoint, certificate, root, Ct));
        await h.Host.Listener!.WhenIdleAsync(Ct).WaitAsync(TimeSpan.FromSeconds(30), Ct);
        Assert.Equal(1, Refusals.Metric(h.Host.ScrapeMetrics(), """buildkit_gateway_rejections_total{pool="ci",reason="proxy_protocol"}"""));
    }
}
