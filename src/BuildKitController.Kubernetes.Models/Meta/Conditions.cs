namespace BuildKitController.Kubernetes.Models;

/// <summary>metav1.Condition list helpers with API-convention semantics.</summary>
public static class Conditions
{
    /// <summary>
    /// Returns <paramref name="conditions"/> with <paramref name="condition"/> set: an existing condition of the same type
    /// is replaced, keeping its <c>lastTransitionTime</c> unless the status changed (then <paramref name="now"/>, truncated
    /// to seconds as the API server stores it). Order of the other conditions is kept.
    /// </summary>
    public static List<Condition> Set(IReadOnlyList<Condition>? conditions, Condition condition, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var result = new List<Condition>(conditions ?? []);
        var index = result.FindIndex(c => c.Type == condition.Type);
        var previous = index >= 0 ? result[index] : null;
        var transition = previous is not null && previous.Status == condition.Status && previous.LastTransitionTime is not null
            ? previous.LastTransitionTime
            : new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), now.Offset);
        var updated = condition with { LastTransitionTime = transition };
        if (index >= 0)
        {
            result[index] = updated;
        }
        else
        {
            result.Add(updated);
        }

        return result;
    }

    /// <summary>Returns <paramref name="conditions"/> without the condition of <paramref name="type"/>.</summary>
    public static List<Condition> Remove(IReadOnlyList<Condition>? conditions, string type) =>
        [.. (conditions ?? []).Where(c => c.Type != type)];

    /// <summary>The condition of <paramref name="type"/>, or null.</summary>
    public static Condition? Find(IReadOnlyList<Condition>? conditions, string type) =>
        conditions?.FirstOrDefault(c => c.Type == type);
}
