using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using BuildKitController.Kubernetes.Configuration;

namespace BuildKitController.Kubernetes.Http;

/// <summary>
/// Builds the socket handler for an API server: verifies the server against the configured CAs only
/// (custom root trust, not the system store, when a CA is given), presents the client certificate, and keeps
/// HTTP/2 connections alive with pings so dead watches are noticed.
/// </summary>
internal static class KubernetesHttpHandlerFactory
{
    public static SocketsHttpHandler Create(KubernetesClientConfiguration configuration)
    {
        var ssl = new SslClientAuthenticationOptions
        {
            TargetHost = configuration.TlsServerName,
            RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
                ValidateServerCertificate(configuration, certificate, chain, errors),
        };

        if (configuration.ClientCertificate is { } clientCertificate)
        {
            ssl.ClientCertificates = [clientCertificate];
            ssl.LocalCertificateSelectionCallback = (_, _, _, _, _) => clientCertificate;
        }

        return new SocketsHttpHandler
        {
            SslOptions = ssl,
            AutomaticDecompression = System.Net.DecompressionMethods.None,
            AllowAutoRedirect = false,
            UseCookies = false,
            ConnectTimeout = TimeSpan.FromSeconds(10),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(90),
            PooledConnectionLifetime = TimeSpan.FromMinutes(10),
            KeepAlivePingDelay = TimeSpan.FromSeconds(30),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(15),
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
            EnableMultipleHttp2Connections = true,
        };
    }

    internal static bool ValidateServerCertificate(
        KubernetesClientConfiguration configuration,
        X509Certificate? certificate,
        X509Chain? presentedChain,
        SslPolicyErrors errors)
    {
        if (configuration.InsecureSkipTlsVerify)
        {
            return true;
        }

        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return false;
        }

        if (configuration.CertificateAuthorities.Count == 0)
        {
            return errors == SslPolicyErrors.None;
        }

        // The name check comes from SslStream (against TargetHost or the URL host); the chain is rebuilt
        // against our CAs only.
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.CustomTrustStore.AddRange(configuration.CertificateAuthorities);
        if (presentedChain is not null)
        {
            foreach (var element in presentedChain.ChainElements.Skip(1))
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf);
    }
}
