using System.Text.Json;
using BuildKitController.Core.Api.V1Alpha1;
using BuildKitController.Core.Api.V1Alpha1.Validation;
using BuildKitController.Core.Serialization;

namespace BuildKitController.Core.Tests.Api.V1Alpha1.Validation;

public sealed class BuildKitPoolValidatorTests
{
    [Fact]
    public void A_minimal_pool_is_valid()
    {
        Assert.Empty(BuildKitPoolValidator.Validate(Pool("{}")));
    }

    [Fact]
    public void Min_greater_than_max_is_rejected()
    {
        var errors = BuildKitPoolValidator.Validate(Pool("""{"scaling":{"min":5,"max":3}}"""));

        var error = Assert.Single(errors);
        Assert.Equal("spec.scaling.min", error.Path);
        Assert.Contains("less than or equal to max (3)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Min_above_the_default_max_is_rejected()
    {
        Assert.Contains(BuildKitPoolValidator.Validate(Pool("""{"scaling":{"min":11}}""")), e => e.Path == "spec.scaling.min");
    }

    [Fact]
    public void Min_equal_to_max_is_accepted()
    {
        Assert.Empty(BuildKitPoolValidator.Validate(Pool("""{"scaling":{"min":4,"max":4}}""")));
    }

    [Theory]
    [InlineData("""{"scaling":{"min":-1}}""", "spec.scaling.min")]
    [InlineData("""{"scaling":{"max":0}}""", "spec.scaling.max")]
    [InlineData("""{"scaling":{"mode":"turbo"}}""", "spec.scaling.mode")]
    [InlineData("""{"scaling":{"targetCPUUtilization":0}}""", "spec.scaling.targetCPUUtilization")]
    [InlineData("""{"scaling":{"targetCPUUtilization":101}}""", "spec.scaling.targetCPUUtilization")]
    [InlineData("""{"scaling":{"targetMemoryUtilization":150}}""", "spec.scaling.targetMemoryUtilization")]
    [InlineData("""{"scaling":{"targetActiveConnections":0}}""", "spec.scaling.targetActiveConnections")]
    [InlineData("""{"scaling":{"scaleDownDelay":"15 minutes"}}""", "spec.scaling.scaleDownDelay")]
    [InlineData("""{"scaling":{"scaleDownDelay":"-5m"}}""", "spec.scaling.scaleDownDelay")]
    [InlineData("""{"scaling":{"scaleDownDelay":"0s"}}""", "spec.scaling.scaleDownDelay")]
    [InlineData("""{"scaling":{"scaleDownSchedule":"every night"}}""", "spec.scaling.scaleDownSchedule")]
    [InlineData("""{"scaling":{"scaleDownSchedule":"0 25 * * *"}}""", "spec.scaling.scaleDownSchedule")]
    [InlineData("""{"resources":{"size":"xxl"}}""", "spec.resources.size")]
    [InlineData("""{"resources":{"buildkit":{"requests":{"cpu":"lots"}}}}""", "spec.resources.buildkit.requests[cpu]")]
    [InlineData("""{"resources":{"buildkit":{"limits":{"memory":"-1Gi"}}}}""", "spec.resources.buildkit.limits[memory]")]
    [InlineData("""{"resources":{"buildkit":{"requests":{"cpu":"4"},"limits":{"cpu":"2"}}}}""", "spec.resources.buildkit.requests[cpu]")]
    [InlineData("""{"resources":{"buildkit":{"requests":{"memory":"2Gi"},"limits":{"memory":"2G"}}}}""", "spec.resources.buildkit.requests[memory]")]
    [InlineData("""{"resources":{"buildkit":{"requests":{"bad name!":"1"}}}}""", "spec.resources.buildkit.requests[bad name!]")]
    [InlineData("""{"resources":{"sidecar":{"limits":{"cpu":"1x"}}}}""", "spec.resources.sidecar.limits[cpu]")]
    [InlineData("""{"cache":{"backends":[{"type":"ftp"}]}}""", "spec.cache.backends[0].type")]
    [InlineData("""{"cache":{"backends":[{"type":""}]}}""", "spec.cache.backends[0].type")]
    [InlineData("""{"cache":{"backends":[{"type":"registry"}]}}""", "spec.cache.backends[0].registry")]
    [InlineData("""{"cache":{"backends":[{"type":"registry","registry":{"endpoint":""}}]}}""", "spec.cache.backends[0].registry.endpoint")]
    [InlineData("""{"cache":{"backends":[{"type":"s3","s3":{"bucket":"b"}}]}}""", "spec.cache.backends[0].s3.region")]
    [InlineData("""{"cache":{"backends":[{"type":"s3"}]}}""", "spec.cache.backends[0].s3")]
    [InlineData("""{"cache":{"backends":[{"type":"local","local":{"storageClass":"gp3","size":"big"}}]}}""", "spec.cache.backends[0].local.size")]
    [InlineData("""{"cache":{"backends":[{"type":"local","local":{"storageClass":"gp3","size":"0"}}]}}""", "spec.cache.backends[0].local.size")]
    [InlineData("""{"cache":{"backends":[{"type":"local","local":{"storageClass":"GP3","size":"1Gi"}}]}}""", "spec.cache.backends[0].local.storageClass")]
    [InlineData("""{"cache":{"backends":[{"type":"local"}]}}""", "spec.cache.backends[0].local")]
    [InlineData("""{"cache":{"gc":{"schedule":"nightly"}}}""", "spec.cache.gc.schedule")]
    [InlineData("""{"cache":{"gc":{"keepDuration":"2 days"}}}""", "spec.cache.gc.keepDuration")]
    [InlineData("""{"tls":{"mode":"letsencrypt"}}""", "spec.tls.mode")]
    [InlineData("""{"tls":{"mode":"manual"}}""", "spec.tls.manual")]
    [InlineData("""{"tls":{"manual":{"serverCertSecret":"s","caSecret":""}}}""", "spec.tls.manual.caSecret")]
    [InlineData("""{"tls":{"auto":{"serverCertDuration":"1y"}}}""", "spec.tls.auto.serverCertDuration")]
    [InlineData("""{"tls":{"auto":{"rotateBeforeExpiry":"9000h"}}}""", "spec.tls.auto.rotateBeforeExpiry")]
    [InlineData("""{"tls":{"auto":{"serverCertDuration":"24h","rotateBeforeExpiry":"24h"}}}""", "spec.tls.auto.rotateBeforeExpiry")]
    [InlineData("""{"auth":{"methods":["kerberos"]}}""", "spec.auth.methods[0].type")]
    [InlineData("""{"auth":{"methods":[42]}}""", "spec.auth.methods[0].type")]
    [InlineData("""{"auth":{"methods":[{"type":"oidc"}]}}""", "spec.auth.methods[0].oidc")]
    [InlineData("""{"auth":{"methods":[{"type":"token"}]}}""", "spec.auth.methods[0].token")]
    [InlineData("""{"auth":{"methods":[{"type":"token","token":{"secretRef":""}}]}}""", "spec.auth.methods[0].token.secretRef")]
    [InlineData("""{"auth":{"methods":[{"type":"oidc","oidc":{"issuer":"http://issuer.example.com","audience":"a"}}]}}""", "spec.auth.methods[0].oidc.issuer")]
    [InlineData("""{"auth":{"methods":[{"type":"oidc","oidc":{"issuer":"not a url","audience":"a"}}]}}""", "spec.auth.methods[0].oidc.issuer")]
    [InlineData("""{"auth":{"methods":[{"type":"oidc","oidc":{"issuer":"https://i","audience":""}}]}}""", "spec.auth.methods[0].oidc.audience")]
    [InlineData("""{"auth":{"rbac":{"rules":[{"users":[],"pools":["*"]}]}}}""", "spec.auth.rbac.rules[0].users")]
    [InlineData("""{"auth":{"rbac":{"rules":[{"users":["*"],"pools":[""]}]}}}""", "spec.auth.rbac.rules[0].pools[0]")]
    [InlineData("""{"networking":{"serviceType":"ExternalName"}}""", "spec.networking.serviceType")]
    [InlineData("""{"networking":{"port":0}}""", "spec.networking.port")]
    [InlineData("""{"networking":{"port":65536}}""", "spec.networking.port")]
    [InlineData("""{"networking":{"allowedCIDRs":["10.0.0.0/33"]}}""", "spec.networking.allowedCIDRs[0]")]
    [InlineData("""{"networking":{"allowedCIDRs":["10.0.0.0"]}}""", "spec.networking.allowedCIDRs[0]")]
    [InlineData("""{"networking":{"external":{"hostname":"Build_Kit.example.com"}}}""", "spec.networking.external.hostname")]
    [InlineData("""{"networking":{"external":{"enabled":true}}}""", "spec.networking.external.hostname")]
    [InlineData("""{"networking":{"annotations":{"bad key!":"v"}}}""", "spec.networking.annotations[bad key!]")]
    [InlineData("""{"observability":{"metrics":{"port":70000}}}""", "spec.observability.metrics.port")]
    [InlineData("""{"gateway":{"replicas":0}}""", "spec.gateway.replicas")]
    [InlineData("""{"gateway":{"resources":{"cpu":"one"}}}""", "spec.gateway.resources.cpu")]
    [InlineData("""{"gateway":{"resources":{"memory":"256 MiB"}}}""", "spec.gateway.resources.memory")]
    [InlineData("""{"gateway":{"tokenTTL":"forever"}}""", "spec.gateway.tokenTTL")]
    [InlineData("""{"gateway":{"maxTokenTTL":"-1h"}}""", "spec.gateway.maxTokenTTL")]
    [InlineData("""{"gateway":{"tokenTTL":"48h"}}""", "spec.gateway.tokenTTL")]
    [InlineData("""{"gateway":{"serviceType":"Headless"}}""", "spec.gateway.serviceType")]
    [InlineData("""{"gateway":{"port":-1}}""", "spec.gateway.port")]
    [InlineData("""{"gateway":{"nodePort":29999}}""", "spec.gateway.nodePort")]
    [InlineData("""{"gateway":{"nodePort":32768}}""", "spec.gateway.nodePort")]
    [InlineData("""{"gateway":{"gatewayAPI":{"enabled":true}}}""", "spec.gateway.gatewayAPI.hostname")]
    [InlineData("""{"gateway":{"gatewayAPI":{"hostname":"-bad-.example.com"}}}""", "spec.gateway.gatewayAPI.hostname")]
    [InlineData("""{"gateway":{"gatewayAPI":{"hostname":"a.*.example.com"}}}""", "spec.gateway.gatewayAPI.hostname")]
    [InlineData("""{"gateway":{"gatewayAPI":{"tls":{"mode":"reencrypt"}}}}""", "spec.gateway.gatewayAPI.tls.mode")]
    [InlineData("""{"gateway":{"gatewayAPI":{"gatewayRef":{"namespace":"gw"}}}}""", "spec.gateway.gatewayAPI.gatewayRef.name")]
    [InlineData("""{"gateway":{"ingress":{"enabled":true}}}""", "spec.gateway.ingress.hostname")]
    [InlineData("""{"gateway":{"ingress":{"hostname":"b.example.com","tls":{"enabled":true}}}}""", "spec.gateway.ingress.tls.secretName")]
    [InlineData("""{"worker":{"securityProfile":"root"}}""", "spec.worker.securityProfile")]
    [InlineData("""{"worker":{"nodeSelector":{"kubernetes.io/arch":"arm 64"}}}""", "spec.worker.nodeSelector[kubernetes.io/arch]")]
    [InlineData("""{"worker":{"nodeSelector":{"-bad":"x"}}}""", "spec.worker.nodeSelector[-bad]")]
    [InlineData("""{"worker":{"tolerations":[{"key":"k","operator":"Contains"}]}}""", "spec.worker.tolerations[0].operator")]
    [InlineData("""{"worker":{"tolerations":[{"operator":"Equal","value":"v"}]}}""", "spec.worker.tolerations[0].operator")]
    [InlineData("""{"worker":{"tolerations":[{"key":"k","operator":"Exists","value":"v"}]}}""", "spec.worker.tolerations[0].value")]
    [InlineData("""{"worker":{"tolerations":[{"key":"k","effect":"NoRun"}]}}""", "spec.worker.tolerations[0].effect")]
    [InlineData("""{"worker":{"tolerations":[{"key":"k","effect":"NoSchedule","tolerationSeconds":5}]}}""", "spec.worker.tolerations[0].tolerationSeconds")]
    [InlineData("""{"worker":{"affinity":[1]}}""", "spec.worker.affinity")]
    [InlineData("""{"worker":{"topologySpreadConstraints":["zone"]}}""", "spec.worker.topologySpreadConstraints[0]")]
    [InlineData("""{"worker":{"priorityClassName":"High"}}""", "spec.worker.priorityClassName")]
    [InlineData("""{"worker":{"runtimeClassName":"g visor"}}""", "spec.worker.runtimeClassName")]
    [InlineData("""{"worker":{"imagePullSecrets":[{"name":""}]}}""", "spec.worker.imagePullSecrets[0].name")]
    [InlineData("""{"worker":{"podLabels":{"team":"platform team"}}}""", "spec.worker.podLabels[team]")]
    [InlineData("""{"worker":{"podAnnotations":{"/x":"v"}}}""", "spec.worker.podAnnotations[/x]")]
    [InlineData("""{"buildkitImage":"moby/buildkit latest"}""", "spec.buildkitImage")]
    public void Invalid_fields_are_reported_at_their_path(string spec, string path)
    {
        var errors = BuildKitPoolValidator.Validate(Pool(spec));

        Assert.Contains(errors, e => e.Path == path);
    }

    [Theory]
    [InlineData("""{"scaling":{"scaleDownDelay":"1h30m","scaleDownSchedule":"CRON_TZ=Europe/Berlin 0 19 * * mon-fri"}}""")]
    [InlineData("""{"scaling":{"scaleDownDelay":"90s","scaleDownSchedule":"@daily"}}""")]
    [InlineData("""{"scaling":{"scaleDownDelay":"1.5h"}}""")]
    [InlineData("""{"resources":{"buildkit":{"requests":{"cpu":"500m","memory":"1Gi","nvidia.com/gpu":"1"},"limits":{"cpu":"2","memory":"1Gi"}}}}""")]
    [InlineData("""{"resources":{"buildkit":{"requests":{"cpu":1},"limits":{"cpu":4}}}}""")]
    [InlineData("""{"cache":{"gc":{"keepDuration":"172800"}}}""")]
    [InlineData("""{"cache":{"gc":{"keepDuration":"48h"}}}""")]
    [InlineData("""{"tls":{"mode":"manual","manual":{"serverCertSecret":"srv","caSecret":"ca"}}}""")]
    [InlineData("""{"auth":{"methods":[{"type":"oidc","oidc":{"issuer":"http://127.0.0.1:5556/dex","audience":"a"}}]}}""")]
    [InlineData("""{"networking":{"allowedCIDRs":["10.0.0.0/8","192.168.1.7/32","2001:db8::/32"],"external":{"enabled":true,"hostname":"203.0.113.10"}}}""")]
    [InlineData("""{"gateway":{"tokenTTL":"24h","maxTokenTTL":"24h","nodePort":30000}}""")]
    [InlineData("""{"gateway":{"gatewayAPI":{"enabled":true,"hostname":"*.builds.example.com"}}}""")]
    [InlineData("""{"gateway":{"enabled":false,"ingress":{"enabled":false}}}""")]
    [InlineData("""{"worker":{"tolerations":[{"operator":"Exists"},{"key":"k","effect":"NoExecute","tolerationSeconds":30}],"podLabels":{"a":""}}}""")]
    public void Valid_fields_pass(string spec)
    {
        Assert.Empty(BuildKitPoolValidator.Validate(Pool(spec)));
    }

    [Theory]
    [InlineData("Pool", false)]
    [InlineData("1pool", false)]
    [InlineData("pool.v2", false)]
    [InlineData("pool-", false)]
    [InlineData("p", true)]
    [InlineData("ci-builders-arm64", true)]
    public void Pool_names_must_be_valid_Service_names(string name, bool valid)
    {
        var pool = Pool("{}");
        pool.Metadata.Name = name;

        Assert.Equal(valid, BuildKitPoolValidator.Validate(pool).All(e => e.Path != "metadata.name"));
    }

    [Fact]
    public void Pool_names_longer_than_fifty_characters_are_rejected()
    {
        var pool = Pool("{}");
        pool.Metadata.Name = new string('a', 50);
        Assert.Empty(BuildKitPoolValidator.Validate(pool));

        pool.Metadata.Name = new string('a', 51);
        Assert.Equal("metadata.name", Assert.Single(BuildKitPoolValidator.Validate(pool)).Path);
    }

    [Fact]
    public void ValidateSpec_checks_only_what_is_set()
    {
        var spec = JsonSerializer.Deserialize("""{"scaling":{"min":20}}""", CoreJsonContext.Default.BuildKitPoolSpec)!;

        Assert.Empty(BuildKitPoolValidator.ValidateSpec(spec));
        Assert.NotEmpty(BuildKitPoolValidator.Validate(new BuildKitPool { Spec = spec }));
    }

    [Fact]
    public void All_errors_are_reported_at_once()
    {
        var errors = BuildKitPoolValidator.Validate(Pool("""{"scaling":{"min":-1,"max":0,"mode":"x"},"gateway":{"nodePort":1}}"""));

        Assert.Equal(["spec.scaling.mode", "spec.scaling.min", "spec.scaling.max", "spec.gateway.nodePort"], errors.Select(e => e.Path));
        Assert.All(errors, e => Assert.StartsWith(e.Path + ": ", e.ToString(), StringComparison.Ordinal));
    }

    private static BuildKitPool Pool(string specJson) =>
        new() { Metadata = { Name = "pool", Namespace = "ci" }, Spec = JsonSerializer.Deserialize(specJson, CoreJsonContext.Default.BuildKitPoolSpec)! };
}
