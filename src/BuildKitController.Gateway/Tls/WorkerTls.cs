using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace BuildKitController.Gateway.Tls;

/// <summary>
/// The gateway's side of the worker hop from <c>&lt;pool&gt;-client-certs</c>: its client certificate
/// (<c>client.crt</c>/<c>client.key</c>) and the pool worker CA (<c>ca.crt</c>), the only anchor worker server
/// certificates are verified against.
/// </summary>
internal sealed record WorkerTls(X509Certificate2 Certificate, SslStreamCertificateContext Context, X509Certificate2Collection WorkerAuthorities)
{
    public const string Bundle = "worker";
    public static readonly IReadOnlyList<string> FileNames = ["client.crt", "client.key", "ca.crt"];

    public static WorkerTls Load(PemFiles files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var (leaf, chain) = PemCertificates.WithKey(files.Text("client.crt"), files.Text("client.key"), "client.crt/client.key");
        var authorities = PemCertificates.Bundle(files.Text("ca.crt"), "ca.crt");
        var context = SslStreamCertificateContext.Create(leaf, chain, offline: true);
        return new WorkerTls(leaf, context, authorities);
    }
}
