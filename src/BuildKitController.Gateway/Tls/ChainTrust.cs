using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace BuildKitController.Gateway.Tls;

/// <summary>
/// Chain verification against a fixed set of anchors (custom root trust; the system store is never consulted).
/// An anchor may be a subordinate CA (the pool client CA is one): a chain that ends at an anchor is trusted even
/// though it is "partial" in X.509 terms, because the anchor was configured, not presented.
/// </summary>
internal static class ChainTrust
{
    public static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2", "Client Authentication");
    public static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1", "Server Authentication");

    /// <summary>A chain policy that trusts only <paramref name="anchors"/> and requires <paramref name="usage"/>.</summary>
    public static X509ChainPolicy Policy(X509Certificate2Collection anchors, Oid usage)
    {
        ArgumentNullException.ThrowIfNull(anchors);
        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
            DisableCertificateDownloads = true,
        };
        policy.CustomTrustStore.AddRange(anchors);
        policy.ApplicationPolicy.Add(usage);
        return policy;
    }

    /// <summary>Whether a chain built with <see cref="Policy"/> is acceptable.</summary>
    public static bool IsTrusted(X509Chain? chain, X509Certificate2Collection anchors)
    {
        if (chain is null || chain.ChainElements.Count == 0)
        {
            return false;
        }

        var anchor = chain.ChainElements[^1].Certificate;
        var endsAtAnchor = anchors.Any(a => a.RawDataMemory.Span.SequenceEqual(anchor.RawDataMemory.Span));
        foreach (var status in chain.ChainStatus)
        {
            if (status.Status == X509ChainStatusFlags.NoError || (status.Status == X509ChainStatusFlags.PartialChain && endsAtAnchor))
            {
                continue;
            }

            return false;
        }

        return endsAtAnchor;
    }

    /// <summary>Verifies <paramref name="certificate"/> (with <paramref name="extra"/> intermediates) against the anchors.</summary>
    public static bool Verify(X509Certificate2 certificate, X509Certificate2Collection anchors, Oid usage, DateTimeOffset now, X509Certificate2Collection? extra = null)
    {
        using var chain = new X509Chain { ChainPolicy = Policy(anchors, usage) };
        chain.ChainPolicy.VerificationTime = now.UtcDateTime;
        chain.ChainPolicy.VerificationTimeIgnored = false;
        if (extra is not null)
        {
            chain.ChainPolicy.ExtraStore.AddRange(extra);
        }

        try
        {
            chain.Build(certificate);
            return IsTrusted(chain, anchors);
        }
        catch (CryptographicException)
        {
            return false;
        }
        finally
        {
            foreach (var element in chain.ChainElements)
            {
                if (!ReferenceEquals(element.Certificate, certificate))
                {
                    element.Certificate.Dispose();
                }
            }
        }
    }
}
