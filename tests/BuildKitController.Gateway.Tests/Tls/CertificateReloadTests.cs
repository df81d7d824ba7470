using System.Security.Cryptography.X509Certificates;
using BuildKitController.Core.Allocation;
using BuildKitController.Gateway.Tests.Support;
using BuildKitController.Testing.StandInWorker;
using BuildKitController.Testing.Time;

namespace BuildKitController.Gateway.Tests.Tls;

public sealed class CertificateReloadTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_rotated_Secret_is_served_without_a_restart_and_a_broken_one_keeps_the_previous_certificates()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var h = await GatewayHarness.StartAsync(o => o with { CertificateReloadInterval = TimeSpan.FromSeconds(10) }, time);
        var token = AllocationToken.Create();
        await h.AddAllocatedWorkerAsync("ci-worker-0", token);
        using var root = X509Certificate2.CreateFromPem(h.Pki.Root.CertificatePem);
        using var certificate = h.Pki.Allocation(token);

        string served;
        await using (var before = await StandInClient.ConnectAsync(h.EndPoint, certificate, root, Ct))
        {
            served = before.Stream.RemoteCertificate!.GetSerialNumberString();
            Assert.Equal(h.Pki.Server.SerialNumber, served, ignoreCase: true);
        }

        // The kubelet swaps ..data to a new version; the next check loads it.
        var rotated = h.Pki.IssueServer();
        var files = GatewayHarness.ServerFiles(h.Pki);
        files["tls.crt"] = rotated.CertificatePem.TrimEnd() + "\n" + h.Pki.ClientCa.CertificatePem;
        files["tls.key"] = rotated.KeyPem!;
        h.ServerTlsVolume.Update(files);
        time.Advance(TimeSpan.FromSeconds(10));
        await using (var after = await StandInClient.ConnectAsync(h.EndPoint, certificate, root, Ct))
        {
            Assert.Equal(rotated.SerialNumber, after.Stream.RemoteCertificate!.GetSerialNumberString(), ignoreCase: true);
            Assert.Equal("ci-worker-0", await after.AskAsync("IDENTITY", Ct));
        }

        // A new client CA: certificates of the old one are refused from now on, the new one's accepted.
        using var next = new PoolPki("ci", h.Pki.Root);
        h.ServerTlsVolume.Update(GatewayHarness.ServerFiles(next));
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.True(await Refusals.IsRefusedAsync(h.EndPoint, certificate, root, Ct));
        using var fromNewCa = next.Allocation(token);
        await using (var client = await StandInClient.ConnectAsync(h.EndPoint, fromNewCa, root, Ct))
        {
            Assert.Equal("ci-worker-0", await client.AskAsync("IDENTITY", Ct));
        }

        // A broken version (key of another certificate) is not loaded; the gateway keeps serving the last good one.
        var broken = GatewayHarness.ServerFiles(next);
        broken["tls.key"] = h.Pki.Server.KeyPem!;
        h.ServerTlsVolume.Update(broken);
        time.Advance(TimeSpan.FromSeconds(10));
        await using (var client = await StandInClient.ConnectAsync(h.EndPoint, fromNewCa, root, Ct))
        {
            Assert.Equal(next.Server.SerialNumber, client.Stream.RemoteCertificate!.GetSerialNumberString(), ignoreCase: true);
            Assert.Equal("ci-worker-0", await client.AskAsync("IDENTITY", Ct));
        }

        var scrape = h.Host.ScrapeMetrics();
        Assert.Equal(3, Refusals.Metric(scrape, """buildkit_gateway_certificate_reloads_total{bundle="server",pool="ci",result="success"}"""));
        Assert.True(Refusals.Metric(scrape, """buildkit_gateway_certificate_reloads_total{bundle="server",pool="ci",result="failure"}""") >= 1);
        Assert.True(h.Host.Health.IsReady);
    }
}
