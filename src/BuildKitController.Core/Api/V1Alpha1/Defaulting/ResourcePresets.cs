using BuildKitController.Kubernetes.Models.CoreV1;

namespace BuildKitController.Core.Api.V1Alpha1.Defaulting;

/// <summary>
/// The worker size presets of the upstream README (<c>spec.resources.size</c>; <c>md</c> when nothing is given).
/// </summary>
/// <remarks>
/// <list type="table">
/// <listheader><term>size</term><description>requests (cpu / memory) → limits (cpu / memory)</description></listheader>
/// <item><term>sm</term><description>500m / 512Mi → 2 / 2Gi</description></item>
/// <item><term>md</term><description>1 / 2Gi → 4 / 4Gi</description></item>
/// <item><term>lg</term><description>2 / 4Gi → 8 / 8Gi</description></item>
/// <item><term>xl</term><description>4 / 8Gi → 16 / 16Gi</description></item>
/// </list>
/// </remarks>
public static class ResourcePresets
{
    /// <summary>The preset used when a pool gives neither a size nor buildkit resources.</summary>
    public const string DefaultSize = ResourceSizes.Medium;

    private static readonly Dictionary<string, (string RequestCpu, string RequestMemory, string LimitCpu, string LimitMemory)> Table =
        new(StringComparer.Ordinal)
        {
            [ResourceSizes.Small] = ("500m", "512Mi", "2", "2Gi"),
            [ResourceSizes.Medium] = ("1", "2Gi", "4", "4Gi"),
            [ResourceSizes.Large] = ("2", "4Gi", "8", "8Gi"),
            [ResourceSizes.ExtraLarge] = ("4", "8Gi", "16", "16Gi"),
        };

    /// <summary>Whether <paramref name="size"/> names a preset.</summary>
    public static bool IsKnown(string? size) => size is not null && Table.ContainsKey(size);

    /// <summary>A fresh copy of the requirements of a preset.</summary>
    /// <exception cref="ArgumentException">The size is not one of <see cref="ResourceSizes.All"/>.</exception>
    public static ResourceRequirements Get(string size)
    {
        ArgumentNullException.ThrowIfNull(size);
        if (!Table.TryGetValue(size, out var preset))
        {
            throw new ArgumentException($"unknown resource size '{size}'; expected one of {string.Join(", ", ResourceSizes.All)}", nameof(size));
        }

        return new ResourceRequirements
        {
            Requests = new Dictionary<string, string>(StringComparer.Ordinal) { ["cpu"] = preset.RequestCpu, ["memory"] = preset.RequestMemory },
            Limits = new Dictionary<string, string>(StringComparer.Ordinal) { ["cpu"] = preset.LimitCpu, ["memory"] = preset.LimitMemory },
        };
    }
}
