using BuildKitController.Core.Access;
using BuildKitController.Core.Api.V1Alpha1;

namespace BuildKitController.Operator.Auth.Rules;

/// <summary>
/// Matching of <c>spec.auth.rbac.rules</c> and of the <c>pools</c> claim. Patterns are <see cref="NamePattern"/>s
/// (<c>*</c>, <c>prefix*</c>, exact). A pool pattern matches the pool's name or its <c>namespace/name</c>.
/// </summary>
internal static class PoolRules
{
    /// <summary>Whether one of <paramref name="patterns"/> names the pool.</summary>
    public static bool MatchesPool(IEnumerable<string>? patterns, string poolNamespace, string poolName) =>
        patterns is not null && patterns.Any(p => NamePattern.Matches(p, poolName) || NamePattern.Matches(p, $"{poolNamespace}/{poolName}"));

    /// <summary>
    /// Whether <paramref name="rule"/> admits the caller to the pool: a user pattern matches the caller's name, a pool
    /// pattern matches the pool, and every <c>claims</c> entry matches the caller's claim of that name (a missing
    /// claim never matches).
    /// </summary>
    public static bool Matches(RbacRule rule, CallerIdentity caller, string poolNamespace, string poolName)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(caller);
        return NamePattern.MatchesAny(rule.Users, caller.Name)
            && MatchesPool(rule.Pools, poolNamespace, poolName)
            && (rule.Claims is null || rule.Claims.All(c => caller.Claims.TryGetValue(c.Key, out var value) && NamePattern.Matches(c.Value, value)));
    }

    /// <summary>The index of the first rule of <paramref name="rules"/> that matches, or -1.</summary>
    public static int FirstMatch(IReadOnlyList<RbacRule>? rules, CallerIdentity caller, string poolNamespace, string poolName)
    {
        for (var i = 0; i < (rules?.Count ?? 0); i++)
        {
            if (rules![i] is { } rule && Matches(rule, caller, poolNamespace, poolName))
            {
                return i;
            }
        }

        return -1;
    }
}
