using BuildKitController.Core.Api.V1Alpha1;
using BuildKitController.Core.Buildkitd;
using BuildKitController.Kubernetes.Models.CoreV1;
using BuildKitController.Operator.Naming;

namespace BuildKitController.Operator.Pools;

/// <summary>ConfigMap <c>&lt;pool&gt;-config</c> with <c>buildkitd.toml</c> (verbatim from the spec, or generated).</summary>
internal static class PoolConfigMapBuilder
{
    public const string Key = "buildkitd.toml";

    public static ConfigMap Build(BuildKitPool pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        return new ConfigMap
        {
            Metadata = PoolOwnership.Metadata(pool, PoolObjectNames.Config(pool.Metadata.Name!), PoolOwnership.ComponentLabels(pool, "pool-config")),
            Data = new() { [Key] = BuildkitdConfig.Render(pool.Spec) },
        };
    }
}
