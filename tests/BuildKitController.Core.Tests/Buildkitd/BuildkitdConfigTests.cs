using BuildKitController.Core.Api.V1Alpha1;
using BuildKitController.Core.Buildkitd;

namespace BuildKitController.Core.Tests.Buildkitd;

public sealed class BuildkitdConfigTests
{
    [Fact]
    public void User_config_is_used_verbatim()
    {
        var spec = new BuildKitPoolSpec { BuildkitConfig = "debug = true\n[worker.oci]\n  max-parallelism = 1\n" };
        Assert.Equal(spec.BuildkitConfig, BuildkitdConfig.Render(spec));
    }

    [Fact]
    public void Default_config_has_the_upstream_layout_and_a_gc_policy()
    {
        var toml = BuildkitdConfig.Render(new BuildKitPoolSpec());

        Assert.Contains("address = [\"tcp://0.0.0.0:1234\"]", toml, StringComparison.Ordinal);
        Assert.Contains("max-parallelism = 4", toml, StringComparison.Ordinal);
        Assert.Contains("gc = true", toml, StringComparison.Ordinal);
        Assert.Contains("gckeepstorage = 10000", toml, StringComparison.Ordinal);
        Assert.Contains("[[worker.oci.gcpolicy]]", toml, StringComparison.Ordinal);
        Assert.Contains("keepBytes = 10000000000", toml, StringComparison.Ordinal);
        Assert.Contains("[worker.containerd]\n  enabled = false", toml, StringComparison.Ordinal);
        Assert.DoesNotContain("[registry.", toml, StringComparison.Ordinal);
    }

    [Fact]
    public void Gc_settings_come_from_the_pool()
    {
        var spec = new BuildKitPoolSpec { Cache = new CacheConfig { Gc = new GarbageCollectionConfig { KeepStorage = "50Gi", KeepDuration = "48h" } } };

        var toml = BuildkitdConfig.Render(spec);

        Assert.Contains("gckeepstorage = 53687", toml, StringComparison.Ordinal);
        Assert.Contains("keepDuration = \"48h0m0s\"", toml, StringComparison.Ordinal);
    }

    [Fact]
    public void Disabled_gc_turns_gc_off_without_a_policy()
    {
        var toml = BuildkitdConfig.Render(new BuildKitPoolSpec { Cache = new CacheConfig { Gc = new GarbageCollectionConfig { Enabled = false } } });

        Assert.Contains("gc = false", toml, StringComparison.Ordinal);
        Assert.DoesNotContain("gcpolicy", toml, StringComparison.Ordinal);
    }

    [Fact]
    public void Registry_backends_become_quoted_host_blocks_once_each()
    {
        var spec = new BuildKitPoolSpec
        {
            Cache = new CacheConfig
            {
                Backends =
                [
                    new CacheBackend { Type = CacheBackendTypes.Registry, Registry = new RegistryCacheConfig { Endpoint = "https://registry.local:5000/cache", Insecure = true } },
                    new CacheBackend { Type = CacheBackendTypes.Registry, Registry = new RegistryCacheConfig { Endpoint = "registry.local:5000/other" } },
                    new CacheBackend { Type = CacheBackendTypes.Registry, Registry = new RegistryCacheConfig { Endpoint = "evil\"]\n[x" } },
                    new CacheBackend { Type = CacheBackendTypes.S3, S3 = new S3CacheConfig { Bucket = "b", Region = "r" } },
                ],
            },
        };

        var toml = BuildkitdConfig.Render(spec);

        Assert.Contains("[registry.\"registry.local:5000\"]\n  http = true\n  insecure = true\n", toml, StringComparison.Ordinal);
        Assert.Single(toml.Split("registry.local:5000").Skip(1));
        Assert.Contains("[registry.\"evil\\\"]\\u000A[x\"]", toml, StringComparison.Ordinal);
    }
}
