using System.Text;
using BuildKitController.Core.Pki;
using BuildKitController.Kubernetes.Client;
using BuildKitController.Kubernetes.Errors;
using BuildKitController.Kubernetes.Models;
using BuildKitController.Kubernetes.Models.CoreV1;
using BuildKitController.Kubernetes.Runtime.Informers;
using BuildKitController.Operator.Naming;
using BuildKitController.Operator.Pools;

namespace BuildKitController.Operator.Pki;

/// <summary>
/// The cluster's root CA, Secret <c>buildkit-ca</c> (<c>ca.crt</c>, <c>ca.key</c>) in the controller namespace,
/// compatible with the Go controller's. Created when missing; reused when present; when present but unreadable it
/// is reported (<see cref="RootCaState.Problem"/>) and never overwritten, since replacing it would silently invalidate
/// every certificate issued so far. The parsed CA is kept until the Secret's resourceVersion changes.
/// </summary>
internal sealed class RootCertificateAuthorityProvider(
    KubernetesClient client,
    ObjectCache<Secret> cache,
    PoolControllerOptions options,
    TimeProvider time,
    ILogger logger)
{
    private volatile Parsed? _parsed;

    public async Task<RootCaState> GetAsync(CancellationToken cancellationToken)
    {
        var secret = cache.Get(options.ControllerNamespace, options.RootCaSecretName);
        if (secret is not null && _parsed is { } parsed && parsed.Uid == secret.Metadata.Uid && parsed.Version == secret.Metadata.ResourceVersion)
        {
            return parsed.State;
        }

        // Concurrent reconciles may both get here; creation is first-writer-wins (AlreadyExists) and parsing is idempotent.
        secret ??= await CreateAsync(cancellationToken);
        var state = Parse(secret);
        if (state.Problem is not null)
        {
            PoolLog.RootCaInvalid(logger, options.ControllerNamespace, options.RootCaSecretName, state.Problem);
        }

        _parsed = new Parsed(secret.Metadata.Uid, secret.Metadata.ResourceVersion, state);
        return state;
    }

    private async Task<Secret> CreateAsync(CancellationToken cancellationToken)
    {
        using var authority = CertificateAuthority.Create("BuildKit CA", time.GetUtcNow(), options.RootCaLifetime, "BuildKit Controller");
        var secret = new Secret
        {
            Metadata = new ObjectMeta
            {
                Name = options.RootCaSecretName,
                Namespace = options.ControllerNamespace,
                Labels = new()
                {
                    [Labels.Name] = Labels.ManagerName,
                    [Labels.Component] = "ca",
                    [Labels.ManagedBy] = Labels.ManagerName,
                },
            },
            Type = "Opaque",
            Data = new()
            {
                [SecretKeys.CaCertificate] = Encoding.ASCII.GetBytes(authority.CertificatePem),
                [SecretKeys.CaKey] = Encoding.ASCII.GetBytes(authority.ExportKeyPem()),
            },
        };
        try
        {
            var created = await client.For<Secret>().CreateAsync(secret, cancellationToken);
            PoolLog.RootCaCreated(logger, options.ControllerNamespace, options.RootCaSecretName);
            return created;
        }
        catch (KubernetesAlreadyExistsException)
        {
            // Another writer (or a Secret our cache has not seen yet): use what is there.
            return await client.For<Secret>().GetAsync(options.ControllerNamespace, options.RootCaSecretName, cancellationToken);
        }
    }

    private RootCaState Parse(Secret secret)
    {
        var where = $"Secret {options.ControllerNamespace}/{options.RootCaSecretName}";
        if (secret.Data?.GetValueOrDefault(SecretKeys.CaCertificate) is not { Length: > 0 } certificate
            || secret.Data.GetValueOrDefault(SecretKeys.CaKey) is not { Length: > 0 } key)
        {
            return RootCaState.Broken($"{where} lacks {SecretKeys.CaCertificate} or {SecretKeys.CaKey}; fix or delete it (deleting invalidates every issued certificate)");
        }

        try
        {
            var authority = CertificateAuthority.Load(Encoding.ASCII.GetString(certificate), Encoding.ASCII.GetString(key));
            var notAfter = new DateTimeOffset(authority.Certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);
            if (notAfter <= time.GetUtcNow())
            {
                authority.Dispose();
                return RootCaState.Broken($"{where} holds a CA that expired at {notAfter:O}");
            }

            return RootCaState.Usable(authority);
        }
        catch (PkiException ex)
        {
            return RootCaState.Broken($"{where} is not a usable CA: {ex.Message}");
        }
    }

    private sealed record Parsed(string? Uid, string? Version, RootCaState State);
}
