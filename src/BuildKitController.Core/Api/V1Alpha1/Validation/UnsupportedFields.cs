using System.Globalization;
using BuildKitController.Core.Api.V1Alpha1.Defaulting;

namespace BuildKitController.Core.Api.V1Alpha1.Validation;

/// <summary>
/// Spec fields that are set (to something other than their default) but not acted upon yet. The pool reconciler
/// reports them in the <c>UnsupportedFields</c> condition instead of silently ignoring them, so every CRD field is
/// either implemented or visibly not.
/// </summary>
public static class UnsupportedFields
{
    /// <summary>Paths with a short reason, e.g. <c>spec.tls.mode=manual (user-provided certificates)</c>; empty when all is supported.</summary>
    public static IReadOnlyList<string> Find(BuildKitPoolSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var found = new List<string>();
        var scaling = spec.Scaling;
        if (scaling?.Mode == ScalingModes.Dynamic)
        {
            found.Add("spec.scaling.mode=dynamic (metric-driven scaling)");
        }

        AddIfChanged(found, "spec.scaling.targetCPUUtilization", scaling?.TargetCpuUtilization, PoolDefaults.TargetCpuUtilization);
        AddIfChanged(found, "spec.scaling.targetMemoryUtilization", scaling?.TargetMemoryUtilization, PoolDefaults.TargetMemoryUtilization);
        AddIfChanged(found, "spec.scaling.targetActiveConnections", scaling?.TargetActiveConnections, PoolDefaults.TargetActiveConnections);

        var backends = spec.Cache?.Backends ?? [];
        for (var i = 0; i < backends.Count; i++)
        {
            if (backends[i].Type is CacheBackendTypes.S3 or CacheBackendTypes.Local)
            {
                found.Add(string.Create(CultureInfo.InvariantCulture, $"spec.cache.backends[{i}].type={backends[i].Type} (only registry backends are configured on workers)"));
            }
        }

        if (spec.Cache?.Gc?.Schedule is { } schedule && schedule != PoolDefaults.GcSchedule)
        {
            found.Add("spec.cache.gc.schedule (buildkitd collects garbage continuously by policy)");
        }

        if (spec.Tls?.Enabled == false)
        {
            found.Add("spec.tls.enabled=false (TLS cannot be turned off)");
        }

        if (spec.Tls?.Mode == TlsModes.Manual)
        {
            found.Add("spec.tls.mode=manual (user-provided certificates)");
        }

        if (spec.Gateway?.GatewayApi?.Enabled == true)
        {
            found.Add("spec.gateway.gatewayAPI (Gateway API routes)");
        }

        return found;
    }

    private static void AddIfChanged(List<string> found, string path, int? value, int defaultValue)
    {
        if (value is { } set && set != defaultValue)
        {
            found.Add(string.Create(CultureInfo.InvariantCulture, $"{path}={set}"));
        }
    }
}
