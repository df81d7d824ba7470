using BuildKitController.Core.Api.V1Alpha1;
using BuildKitController.Kubernetes.Models;

namespace BuildKitController.Operator.Oidc;

/// <summary>
/// Computes the status of a BuildKitOIDCConfig from an outcome: <c>ready</c>, <c>message</c> and the <c>Ready</c>
/// condition (metav1 semantics: <c>lastTransitionTime</c> moves only when the condition's status flips; reason,
/// message and <c>observedGeneration</c> follow the latest check; see <see cref="Conditions.Set"/>). Other conditions
/// are kept as they are. Pure.
/// </summary>
internal static class OidcConfigStatusBuilder
{
    /// <summary>Longest message written (the CRD allows 32768 for conditions; status stays readable well below).</summary>
    public const int MaxMessageLength = 1024;

    public static BuildKitOIDCConfigStatus Build(BuildKitOIDCConfigStatus? current, string reason, string message, long? generation, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(reason);
        ArgumentNullException.ThrowIfNull(message);
        var ready = reason == OidcConfigReasons.Verified;
        var conditionStatus = ready ? ConditionStatus.True : ConditionStatus.False;
        if (message.Length > MaxMessageLength)
        {
            message = message[..(MaxMessageLength - 1)] + "…";
        }

        var condition = new Condition
        {
            Type = OidcConfigReasons.ReadyCondition,
            Status = conditionStatus,
            Reason = reason,
            Message = message,
            ObservedGeneration = generation,
        };
        var updated = Conditions.Set(current?.Conditions, condition, now);
        return (current ?? new BuildKitOIDCConfigStatus()) with { Ready = ready, Message = message, Conditions = updated };
    }

    /// <summary>Whether writing <paramref name="desired"/> over <paramref name="current"/> would change anything.</summary>
    public static bool Same(BuildKitOIDCConfigStatus? current, BuildKitOIDCConfigStatus desired)
    {
        ArgumentNullException.ThrowIfNull(desired);
        if (current is null || current.Ready != desired.Ready || current.Message != desired.Message)
        {
            return false;
        }

        var have = current.Conditions ?? [];
        var want = desired.Conditions ?? [];
        return have.Count == want.Count && have.Zip(want).All(pair => SameCondition(pair.First, pair.Second));
    }

    private static bool SameCondition(Condition a, Condition b) =>
        a.Type == b.Type && a.Status == b.Status && a.Reason == b.Reason && a.Message == b.Message
        && a.ObservedGeneration == b.ObservedGeneration && a.LastTransitionTime == b.LastTransitionTime;
}
