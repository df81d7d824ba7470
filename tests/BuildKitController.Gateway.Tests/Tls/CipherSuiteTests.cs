using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using BuildKitController.Core.Allocation;
using BuildKitController.Gateway.Tests.Support;
using BuildKitController.Testing.StandInWorker;

namespace BuildKitController.Gateway.Tests.Tls;

public sealed class CipherSuiteTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Clients_get_AES_128_GCM_over_TLS_13_and_12_when_preferred_and_AES_256_otherwise()
    {
        foreach (var prefer in new[] { true, false })
        {
            await using var h = await GatewayHarness.StartAsync(o => o with { PreferAes128Gcm = prefer });
            var token = AllocationToken.Create();
            await h.AddAllocatedWorkerAsync("ci-worker-0", token);
            using var root = X509Certificate2.CreateFromPem(h.Pki.Root.CertificatePem);
            using var certificate = h.Pki.Allocation(token);

            // .NET's client offers OpenSSL's order (AES-256-GCM first); the gateway chooses.
            await using (var tls13 = await StandInClient.ConnectAsync(h.EndPoint, certificate, root, Ct))
            {
                Assert.Equal("ci-worker-0", await tls13.AskAsync("IDENTITY", Ct));
                Assert.Equal(prefer ? TlsCipherSuite.TLS_AES_128_GCM_SHA256 : TlsCipherSuite.TLS_AES_256_GCM_SHA384, tls13.Stream.NegotiatedCipherSuite);

                // The worker hop is a valid AEAD suite too (the stand-in worker, an OpenSSL server, picks by its own preference).
                var session = Assert.Single(h.Host.Listener!.Sessions);
                Assert.Contains(session.Worker.NegotiatedCipherSuite, new[] { TlsCipherSuite.TLS_AES_128_GCM_SHA256, TlsCipherSuite.TLS_AES_256_GCM_SHA384 });
            }

            await using (var tls12 = await StandInClient.ConnectAsync(h.EndPoint, certificate, root, Ct, tlsVersions: SslProtocols.Tls12))
            {
                Assert.Equal("ci-worker-0", await tls12.AskAsync("IDENTITY", Ct));
                Assert.Equal(prefer ? TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 : TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, tls12.Stream.NegotiatedCipherSuite);
            }
        }
    }
}
