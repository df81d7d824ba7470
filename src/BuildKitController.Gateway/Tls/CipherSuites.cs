using System.Net.Security;

namespace BuildKitController.Gateway.Tls;

/// <summary>
/// The cipher suites of both hops, AES-128-GCM first, as Go's crypto/tls orders them on hardware with AES
/// instructions (buildkitd and buildctl are Go). OpenSSL's default puts AES-256-GCM first and .NET sets server
/// preference, so without this the gateway negotiates AES-256 with every client: 14 AES rounds instead of 10 for
/// every byte, twice per byte in a re-encrypting proxy, with no security gain that matters for a 24-hour build
/// session. Nothing is removed from what clients may use: AES-256-GCM and ChaCha20-Poly1305 stay, only later.
/// TLS 1.2 keeps forward-secret ECDHE AEAD suites only (what Go and OpenSSL's TLS 1.2 defaults agree on).
/// <para>
/// <b>Off by default</b> (<c>--prefer-aes128-gcm</c> turns it on): measured ~8 % less gateway CPU per GiB, but .NET
/// does not share its OpenSSL <c>SSL_CTX</c> between connections that set a <see cref="CipherSuitesPolicy"/>, so every
/// connection builds and keeps its own (~8 KiB more per idle connection: 104 → 112 KiB at 3,000). Idle memory is
/// the scarcer resource for the gateway; a CPU-bound deployment can turn it on.
/// </para>
/// </summary>
internal static class CipherSuites
{
    private static readonly TlsCipherSuite[] Aes128First =
    [
        TlsCipherSuite.TLS_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
    ];

    /// <summary>The policy for both hops, or null (the platform default) when not preferred or not supported here.</summary>
    public static CipherSuitesPolicy? Policy(bool preferAes128) =>
        preferAes128 && (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()) ? new CipherSuitesPolicy(Aes128First) : null;
}
