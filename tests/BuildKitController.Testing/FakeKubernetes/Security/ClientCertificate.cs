using System.Security.Cryptography.X509Certificates;

namespace BuildKitController.Testing.FakeKubernetes;

/// <summary>A client certificate issued by the fake server's CA (PEM), for kubeconfigs and <see cref="System.Net.Http.HttpClient"/>s.</summary>
public sealed record ClientCertificate(string CertificatePem, string PrivateKeyPem)
{
    /// <summary>The certificate with its private key, usable in TLS client authentication.</summary>
    public X509Certificate2 ToX509Certificate() => X509Certificate2.CreateFromPem(CertificatePem, PrivateKeyPem);
}
