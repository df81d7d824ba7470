using System.Collections.Concurrent;
using BuildKitController.Core.Api.V1Alpha1;
using BuildKitController.Core.Pki;
using BuildKitController.Kubernetes.Models.CoreV1;
using BuildKitController.Kubernetes.Runtime.Informers;
using BuildKitController.Operator.Pools;

namespace BuildKitController.Operator.Pki;

/// <summary>
/// Remembers, per pool, the last certificate plan that needed no change together with everything it was computed
/// from: the pool's spec generation, the root CA, the four Secrets (uid and resourceVersion) and the extra names. A
/// reconcile with the same inputs before the plan's earliest renewal reuses it instead of parsing and checking every
/// certificate again, which a pool reconcile would otherwise do on each change of any of its workers. Any change of
/// an input, or reaching a renewal time, plans afresh; plans that change something or report a problem are never kept.
/// </summary>
internal sealed class PoolCertificateMemo
{
    private readonly ConcurrentDictionary<ObjectKey, (string Inputs, PoolCertificatePlan Plan)> _plans = new();

    public PoolCertificatePlan Plan(BuildKitPool desired, CertificateAuthority root, PoolSecrets existing, IReadOnlyCollection<string> extraNames, PoolControllerOptions options, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(existing);
        var key = ObjectKey.Of(desired);
        var inputs = Inputs(desired, root, existing, extraNames);
        if (_plans.TryGetValue(key, out var known) && known.Inputs == inputs && (known.Plan.NextRenewal is not { } due || now < due))
        {
            return known.Plan;
        }

        var plan = PoolCertificatePlanner.Plan(desired, root, existing, extraNames, options, now);
        if (plan.Problem is null && plan.Changed.Count == 0)
        {
            _plans[key] = (inputs, plan);
        }
        else
        {
            _plans.TryRemove(key, out _);
        }

        return plan;
    }

    public void Forget(ObjectKey key) => _plans.TryRemove(key, out _);

    private static string Inputs(BuildKitPool pool, CertificateAuthority root, PoolSecrets existing, IReadOnlyCollection<string> extraNames) =>
        string.Join('|',
            pool.Metadata.Uid,
            pool.Metadata.Generation?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? pool.Metadata.ResourceVersion,
            root.Certificate.Thumbprint,
            Version(existing.Authorities),
            Version(existing.GatewayServer),
            Version(existing.GatewayClient),
            Version(existing.WorkerServer),
            string.Join(',', extraNames));

    private static string Version(Secret? secret) => secret is null ? "-" : $"{secret.Metadata.Uid}@{secret.Metadata.ResourceVersion}";
}
