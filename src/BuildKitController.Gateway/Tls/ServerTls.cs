using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace BuildKitController.Gateway.Tls;

/// <summary>
/// The listener's TLS material from <c>&lt;pool&gt;-tls</c>: the server certificate with its chain (served to
/// clients) and the pool client CA (<c>ca.crt</c>), the only anchor client certificates are verified against.
/// </summary>
internal sealed record ServerTls(X509Certificate2 Certificate, SslStreamCertificateContext Context, X509Certificate2Collection ClientAuthorities)
{
    public const string Bundle = "server";
    public static readonly IReadOnlyList<string> FileNames = ["tls.crt", "tls.key", "ca.crt"];

    public static ServerTls Load(PemFiles files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var (leaf, chain) = PemCertificates.WithKey(files.Text("tls.crt"), files.Text("tls.key"), "tls.crt/tls.key");
        var authorities = PemCertificates.Bundle(files.Text("ca.crt"), "ca.crt");
        var context = SslStreamCertificateContext.Create(leaf, chain, offline: true);
        return new ServerTls(leaf, context, authorities);
    }
}
