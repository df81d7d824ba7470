namespace BuildKitController.Operator.Pki;

/// <summary>Data keys of the certificate Secrets (upstream §5.2 for the compatible ones).</summary>
internal static class SecretKeys
{
    public const string CaCertificate = "ca.crt";
    public const string CaKey = "ca.key";
    public const string TlsCertificate = "tls.crt";
    public const string TlsKey = "tls.key";
    public const string ClientCertificate = "client.crt";
    public const string ClientKey = "client.key";

    /// <summary>Per-pool client CA (subordinate of the root): issues allocation certificates and the gateway server certificate.</summary>
    public const string ClientCaCertificate = "client-ca.crt";
    public const string ClientCaKey = "client-ca.key";

    /// <summary>Per-pool worker CA (self-signed): issues the worker server certificate and the gateway's client certificate towards workers.</summary>
    public const string WorkerCaCertificate = "worker-ca.crt";
    public const string WorkerCaKey = "worker-ca.key";
}
