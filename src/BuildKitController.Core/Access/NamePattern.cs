namespace BuildKitController.Core.Access;

/// <summary>
/// A user or pool pattern of <c>spec.auth.rbac.rules</c>: <c>*</c> matches everything, a trailing <c>*</c>
/// matches a prefix, anything else matches exactly (case-sensitive, as upstream).
/// </summary>
public static class NamePattern
{
    public static bool Matches(string pattern, string value)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(value);
        if (pattern == "*")
        {
            return true;
        }

        return pattern.EndsWith('*')
            ? value.StartsWith(pattern[..^1], StringComparison.Ordinal)
            : string.Equals(pattern, value, StringComparison.Ordinal);
    }

    public static bool MatchesAny(IEnumerable<string>? patterns, string value) =>
        patterns is not null && patterns.Any(p => Matches(p, value));
}
