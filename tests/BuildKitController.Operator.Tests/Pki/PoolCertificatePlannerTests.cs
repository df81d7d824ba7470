using System.Security.Cryptography.X509Certificates;
using System.Text;
using BuildKitController.Core.Api.V1Alpha1;
using BuildKitController.Core.Pki;
using BuildKitController.Kubernetes.Models;
using BuildKitController.Operator.Pki;
using BuildKitController.Operator.Pools;

namespace BuildKitController.Operator.Tests.Pki;

public sealed class PoolCertificatePlannerTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);
    private readonly CertificateAuthority _root = CertificateAuthority.Create("test root", Now.AddDays(-1), TimeSpan.FromDays(3650));
    private readonly BuildKitPool _pool = new()
    {
        Metadata = new ObjectMeta { Name = "ci", Namespace = "default", Uid = "pool-uid", Generation = 1 },
    };

    public void Dispose() => _root.Dispose();

    [Fact]
    public void A_new_pool_reports_every_certificate_it_issued_with_the_serial_and_expiry_written_to_its_secrets()
    {
        var plan = PoolCertificatePlanner.Plan(_pool, _root, new PoolSecrets(null, null, null, null), [], new PoolControllerOptions(), Now);

        Assert.Equal(["pool-client-ca", "pool-worker-ca", "gateway-server", "gateway-client", "worker-server"], plan.Issued.Select(i => i.Kind));
        var written = new X509Certificate2Collection();
        foreach (var value in plan.Changed.SelectMany(s => s.Data!.Values))
        {
            written.ImportFromPem(Encoding.ASCII.GetString(value));
        }

        foreach (var issued in plan.Issued)
        {
            var certificate = written.First(c => c.SerialNumber == issued.SerialNumber);
            Assert.Equal(certificate.NotAfter.ToUniversalTime(), issued.NotAfter.UtcDateTime);
            Assert.True(issued.NotAfter > Now.AddDays(1), $"{issued.Kind} expires {issued.NotAfter:O}");
        }
    }
}
