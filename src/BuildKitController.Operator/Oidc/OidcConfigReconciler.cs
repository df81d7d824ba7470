using System.Collections.Concurrent;
using BuildKitController.Core.Api.V1Alpha1;
using BuildKitController.Core.Api.V1Alpha1.Defaulting;
using BuildKitController.Core.Api.V1Alpha1.Validation;
using BuildKitController.Kubernetes.Client;
using BuildKitController.Kubernetes.Models;
using BuildKitController.Kubernetes.Runtime.Controllers;
using BuildKitController.Kubernetes.Runtime.Informers;

namespace BuildKitController.Operator.Oidc;

/// <summary>
/// Keeps the status of one BuildKitOIDCConfig true: an invalid spec is reported (<c>InvalidSpec</c>) and a disabled
/// config marked <c>Disabled</c>, both without network calls; otherwise the issuer is probed
/// (<see cref="OidcIssuerProbe"/>) and <c>ready</c>, <c>message</c> and the <c>Ready</c> condition follow the result.
/// </summary>
/// <remarks>
/// The last check of each config (uid, generation, outcome, next check time) is remembered in memory, so a reconcile
/// caused by the controller's own status write, or by any change that is not a spec change, reuses it instead of
/// fetching again. A verified issuer is checked again every <see cref="OidcConfigControllerOptions.RecheckInterval"/>;
/// after a failure the next check comes after <see cref="OidcConfigControllerOptions.InitialRetryDelay"/>, doubling per
/// consecutive failure up to <see cref="OidcConfigControllerOptions.MaxRetryDelay"/> (30 s, 1 min, 2 min, … 10 min by
/// default), so an unreachable issuer is not hammered. A spec change (new generation) is checked at once. Status is
/// written only when it changes. After a restart every config is checked once.
/// </remarks>
internal sealed class OidcConfigReconciler(
    KubernetesClient client,
    ObjectCache<BuildKitOIDCConfig> configs,
    OidcIssuerProbe probe,
    TimeProvider time,
    OidcConfigControllerOptions options,
    ILogger logger) : IReconciler<ObjectKey>
{
    private readonly ConcurrentDictionary<ObjectKey, Check> _checks = new();

    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var config = configs.Get(key);
        if (config is null || config.Metadata.DeletionTimestamp is not null)
        {
            _checks.TryRemove(key, out _);
            return ReconcileResult.Done;
        }

        var errors = Validate(config);
        if (errors.Count > 0)
        {
            _checks.TryRemove(key, out _);
            await SetStatusAsync(config, OidcConfigReasons.InvalidSpec, "invalid spec: " + string.Join("; ", errors), cancellationToken);
            return ReconcileResult.Done;
        }

        var spec = BuildKitOIDCConfigDefaulter.Apply(config.Spec);
        if (spec.Enabled == false)
        {
            _checks.TryRemove(key, out _);
            await SetStatusAsync(config, OidcConfigReasons.Disabled, "disabled (spec.enabled is false): tokens of this issuer are not accepted", cancellationToken);
            return ReconcileResult.Done;
        }

        var now = time.GetUtcNow();
        var uid = config.Metadata.Uid ?? "";
        var generation = config.Metadata.Generation ?? 0;
        _checks.TryGetValue(key, out var last);
        var sameSpec = last is not null && last.Uid == uid && last.Generation == generation;
        if (!sameSpec || now >= last!.NextCheckAt)
        {
            var result = await probe.ProbeAsync(spec.Issuer, cancellationToken);
            var failures = result.Ready ? 0 : (sameSpec ? last!.Failures : 0) + 1;
            var delay = result.Ready ? options.RecheckInterval : options.RetryDelay(failures);
            last = new Check(uid, generation, result.Reason, result.Message, now + delay, failures);
            _checks[key] = last;
            OidcLog.IssuerChecked(logger, key.ToString(), spec.Issuer, result.Reason, delay);
        }

        await SetStatusAsync(config, last.Reason, last.Message, cancellationToken);
        var wait = last.NextCheckAt - now;
        return ReconcileResult.After(wait > TimeSpan.Zero ? wait : TimeSpan.FromSeconds(1));
    }

    /// <summary>The validator's errors, plus one rule of this controller: no user info in the issuer (it would end up in messages and logs).</summary>
    private static List<string> Validate(BuildKitOIDCConfig config)
    {
        var errors = BuildKitOIDCConfigValidator.Validate(config).Select(e => e.ToString()).ToList();
        if (errors.Count == 0 && Uri.TryCreate(config.Spec.Issuer, UriKind.Absolute, out var issuer) && issuer.UserInfo.Length > 0)
        {
            errors.Add("spec.issuer: must not contain user info");
        }

        return errors;
    }

    private async Task SetStatusAsync(BuildKitOIDCConfig config, string reason, string message, CancellationToken cancellationToken)
    {
        var desired = OidcConfigStatusBuilder.Build(config.Status, reason, message, config.Metadata.Generation, time.GetUtcNow());
        if (OidcConfigStatusBuilder.Same(config.Status, desired))
        {
            return;
        }

        await client.For<BuildKitOIDCConfig>().UpdateStatusAsync(config with { Status = desired }, cancellationToken);
        var previousReason = Conditions.Find(config.Status?.Conditions, OidcConfigReasons.ReadyCondition)?.Reason;
        if (previousReason != reason)
        {
            var name = ObjectKey.Of(config).ToString();
            switch (reason)
            {
                case OidcConfigReasons.Verified:
                    OidcLog.IssuerVerified(logger, name, config.Spec.Issuer, desired.Message!);
                    break;
                case OidcConfigReasons.InvalidSpec:
                    OidcLog.InvalidSpec(logger, name, desired.Message!);
                    break;
                case OidcConfigReasons.Disabled:
                    OidcLog.Disabled(logger, name);
                    break;
                default:
                    OidcLog.IssuerNotReady(logger, name, config.Spec.Issuer, reason, desired.Message!);
                    break;
            }
        }
    }

    /// <summary>The outcome of the last check of a config and when the next one is due.</summary>
    private sealed record Check(string Uid, long Generation, string Reason, string Message, DateTimeOffset NextCheckAt, int Failures);
}
