using BuildKitController.Core.Api.V1Alpha1;
using BuildKitController.Core.Api.V1Alpha1.Defaulting;
using BuildKitController.Core.Api.V1Alpha1.Validation;

namespace BuildKitController.Core.Tests.Api.V1Alpha1;

public sealed class UnsupportedFieldsTests
{
    [Fact]
    public void A_defaulted_spec_has_no_unsupported_fields()
    {
        Assert.Empty(UnsupportedFields.Find(BuildKitPoolDefaulter.Apply(new BuildKitPoolSpec())));
    }

    [Fact]
    public void Fields_set_to_values_that_are_not_acted_upon_are_listed_with_their_path()
    {
        var spec = new BuildKitPoolSpec
        {
            Scaling = new ScalingConfig { Mode = ScalingModes.Dynamic, TargetCpuUtilization = 70, TargetMemoryUtilization = 50 },
            Cache = new CacheConfig { Backends = [new CacheBackend { Type = CacheBackendTypes.Registry }, new CacheBackend { Type = CacheBackendTypes.S3 }], Gc = new GarbageCollectionConfig { Schedule = "0 4 * * *" } },
            Tls = new TlsConfig { Enabled = false, Mode = TlsModes.Manual },
            Gateway = new GatewayConfig { GatewayApi = new GatewayApiConfig { Enabled = true } },
        };

        var found = UnsupportedFields.Find(spec);

        Assert.Equal(
            [
                "spec.scaling.mode=dynamic (metric-driven scaling)",
                "spec.scaling.targetMemoryUtilization=50",
                "spec.cache.backends[1].type=s3 (only registry backends are configured on workers)",
                "spec.cache.gc.schedule (buildkitd collects garbage continuously by policy)",
                "spec.tls.enabled=false (TLS cannot be turned off)",
                "spec.tls.mode=manual (user-provided certificates)",
                "spec.gateway.gatewayAPI (Gateway API routes)",
            ],
            found);
    }
}
