using System.Collections.Concurrent;
using BuildKitController.Core.Api.V1Alpha1;
using BuildKitController.Kubernetes.Runtime.Informers;

namespace BuildKitController.Operator.Auth.OpenIdConnect;

/// <summary>
/// Which (issuer, audience) pairs are trusted for a request:
/// <list type="number">
/// <item>enabled BuildKitOIDCConfigs in the controller namespace (every namespace only with
/// <see cref="AuthOptions.TrustOidcConfigsFromAllNamespaces"/>), controller namespace first, then by
/// namespace/name;</item>
/// <item>then the OIDC methods (<c>spec.auth.methods[type=oidc]</c>) of the pool the request targets, for that
/// request only: identities from them are valid for that pool alone.</item>
/// </list>
/// A BuildKitOIDCConfig elsewhere whose issuer a token names is reported once (Warning), so an admin sees why it is
/// not used.
/// </summary>
internal sealed class OidcTrustedIssuers(ObjectCache<BuildKitOIDCConfig> configs, AuthOptions options, ILogger logger)
{
    private const int MaxReported = 1000;

    private readonly ConcurrentDictionary<string, byte> _reported = new(StringComparer.Ordinal);

    /// <summary>The sources whose issuer is exactly <paramref name="issuer"/>, in trust order.</summary>
    public IReadOnlyList<OidcTrustSource> Find(string issuer, BuildKitPool? pool)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        var found = new List<OidcTrustSource>();
        var candidates = options.TrustOidcConfigsFromAllNamespaces ? configs.List() : configs.ListByNamespace(options.ControllerNamespace);
        foreach (var config in candidates
            .Where(c => c.Spec.Enabled != false && string.Equals(c.Spec.Issuer, issuer, StringComparison.Ordinal) && !string.IsNullOrEmpty(c.Spec.Audience))
            .OrderBy(c => c.Metadata.Namespace == options.ControllerNamespace ? 0 : 1)
            .ThenBy(c => c.Metadata.Namespace, StringComparer.Ordinal)
            .ThenBy(c => c.Metadata.Name, StringComparer.Ordinal))
        {
            found.Add(new OidcTrustSource(issuer, config.Spec.Audience, config.Spec.ClaimsMapping,
                $"BuildKitOIDCConfig {config.Metadata.Namespace}/{config.Metadata.Name}", PoolScope: null));
        }

        if (pool is not null)
        {
            var scope = $"{pool.Metadata.Namespace}/{pool.Metadata.Name}";
            foreach (var method in pool.Spec.Auth?.Methods ?? [])
            {
                if (method.Type == AuthMethodTypes.Oidc && method.Oidc is { } oidc
                    && string.Equals(oidc.Issuer, issuer, StringComparison.Ordinal) && !string.IsNullOrEmpty(oidc.Audience))
                {
                    found.Add(new OidcTrustSource(issuer, oidc.Audience, oidc.ClaimsMapping, $"pool {scope}", scope));
                }
            }
        }

        if (found.Count == 0 && !options.TrustOidcConfigsFromAllNamespaces)
        {
            ReportIgnored(issuer);
        }

        return found;
    }

    private void ReportIgnored(string issuer)
    {
        foreach (var config in configs.List(c => c.Spec.Enabled != false && string.Equals(c.Spec.Issuer, issuer, StringComparison.Ordinal)))
        {
            var name = $"{config.Metadata.Namespace}/{config.Metadata.Name}";
            if (_reported.Count < MaxReported && _reported.TryAdd(name, 0))
            {
                AuthLog.ForeignOidcConfigIgnored(logger, name, options.ControllerNamespace);
            }
        }
    }
}
