using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace BuildKitController.Kubernetes.Runtime.Informers;

/// <summary>
/// One instance of each short string that many cached objects repeat: label and annotation keys, label values,
/// namespaces, kinds, owner names, finalizers, condition types. Each decoded object brings its own copies; a cache
/// of 30,000 objects holds hundreds of thousands of them. Bounded, so unusual data cannot grow it without limit
/// (past the bound, strings are simply not shared).
/// </summary>
public sealed class StringPool(int capacity = 50_000, int maxLength = 128)
{
    private readonly ConcurrentDictionary<string, string> _strings = new(StringComparer.Ordinal);

    /// <summary>The pool the informers share.</summary>
    public static StringPool Shared { get; } = new();

    /// <summary>Distinct strings held.</summary>
    public int Count => _strings.Count;

    /// <summary>The pooled instance equal to <paramref name="value"/> (added when there is room), or the value itself.</summary>
    [return: NotNullIfNotNull(nameof(value))]
    public string? Get(string? value)
    {
        if (value is null || value.Length > maxLength)
        {
            return value;
        }

        if (_strings.TryGetValue(value, out var pooled))
        {
            return pooled;
        }

        return _strings.Count >= capacity ? value : _strings.GetOrAdd(value, value);
    }

    /// <summary>A copy of <paramref name="values"/> whose keys (and values, when short) are pooled.</summary>
    [return: NotNullIfNotNull(nameof(values))]
    public Dictionary<string, string>? Get(Dictionary<string, string>? values)
    {
        if (values is null)
        {
            return null;
        }

        var shared = new Dictionary<string, string>(values.Count);
        foreach (var (key, value) in values)
        {
            shared[Get(key)] = Get(value);
        }

        return shared;
    }
}
