namespace BuildKitController.Core.Pki;

/// <summary>What a leaf certificate is for.</summary>
public enum CertificateProfile
{
    /// <summary>TLS server (EKU serverAuth): gateway listener, worker daemon.</summary>
    Server,

    /// <summary>TLS client (EKU clientAuth): allocation certificates, the gateway towards workers.</summary>
    Client,
}
