using System.Text.Json;
using BuildKitController.Core.Api.V1Alpha1;
using BuildKitController.Core.Api.V1Alpha1.Defaulting;
using BuildKitController.Core.Serialization;
using BuildKitController.Kubernetes.Models.CoreV1;

namespace BuildKitController.Core.Tests.Api.V1Alpha1.Defaulting;

public sealed class BuildKitPoolDefaulterTests
{
    [Fact]
    public void An_empty_spec_gets_every_default()
    {
        var spec = BuildKitPoolDefaulter.Apply(new BuildKitPoolSpec());

        Assert.Equal("auto", spec.Scaling!.Mode);
        Assert.Equal(0, spec.Scaling.Min);
        Assert.Equal(10, spec.Scaling.Max);
        Assert.Equal("15m", spec.Scaling.ScaleDownDelay);
        Assert.Equal(70, spec.Scaling.TargetCpuUtilization);
        Assert.Equal(80, spec.Scaling.TargetMemoryUtilization);
        Assert.Equal(10, spec.Scaling.TargetActiveConnections);
        Assert.Null(spec.Scaling.ScaleDownSchedule);

        Assert.Equal(ResourcePresets.Get("md").Requests, spec.Resources!.Buildkit!.Requests);
        Assert.Equal(ResourcePresets.Get("md").Limits, spec.Resources.Buildkit.Limits);
        Assert.Null(spec.Resources.Sidecar);

        Assert.True(spec.Cache!.Gc!.Enabled);
        Assert.Equal("0 2 * * *", spec.Cache.Gc.Schedule);

        Assert.True(spec.Tls!.Enabled);
        Assert.Equal("auto", spec.Tls.Mode);
        Assert.Equal("8760h", spec.Tls.Auto!.ServerCertDuration);
        Assert.Equal("720h", spec.Tls.Auto.RotateBeforeExpiry);

        Assert.Equal("ClusterIP", spec.Networking!.ServiceType);
        Assert.Equal(1235, spec.Networking.Port);

        Assert.True(spec.Observability!.Metrics!.Enabled);
        Assert.Equal(9090, spec.Observability.Metrics.Port);
        Assert.Equal("info", spec.Observability.Logging!.Level);
        Assert.Equal("json", spec.Observability.Logging.Format);

        Assert.True(spec.Gateway!.Enabled);
        Assert.Equal(1, spec.Gateway.Replicas);
        Assert.Equal("1h", spec.Gateway.TokenTtl);
        Assert.Equal("24h", spec.Gateway.MaxTokenTtl);
        Assert.Equal("ClusterIP", spec.Gateway.ServiceType);
        Assert.Equal(1235, spec.Gateway.Port);
        Assert.Equal("200m", spec.Gateway.Resources!.Cpu);
        Assert.Equal("256Mi", spec.Gateway.Resources.Memory);
        Assert.Null(spec.Gateway.NodePort);
        Assert.Null(spec.Gateway.GatewayApi);
        Assert.Null(spec.Gateway.Ingress);

        Assert.Equal("rootless", spec.Worker!.SecurityProfile);
        Assert.Equal("moby/buildkit:master-rootless", spec.BuildkitImage);
        Assert.Equal(PoolDefaults.GatewayImage, spec.GatewayImage);
        Assert.NotNull(spec.Auth);
        Assert.Null(spec.Auth.Methods);
    }

    [Fact]
    public void The_input_is_not_modified()
    {
        var spec = new BuildKitPoolSpec { Scaling = new ScalingConfig { Min = 2 } };
        var before = JsonSerializer.Serialize(spec, CoreJsonContext.Default.BuildKitPoolSpec);

        var defaulted = BuildKitPoolDefaulter.Apply(spec);
        defaulted.Scaling!.Min = 5;

        Assert.Equal(before, JsonSerializer.Serialize(spec, CoreJsonContext.Default.BuildKitPoolSpec));
        Assert.NotSame(spec.Scaling, defaulted.Scaling);
    }

    [Fact]
    public void Explicit_values_are_kept()
    {
        var spec = new BuildKitPoolSpec
        {
            Scaling = new ScalingConfig { Mode = "manual", Min = 3, Max = 4, ScaleDownDelay = "5m", TargetCpuUtilization = 50 },
            Tls = new TlsConfig { Enabled = false, Auto = new TlsAutoConfig { ServerCertDuration = "24h" } },
            Networking = new NetworkingConfig { ServiceType = "NodePort", Port = 2000 },
            Gateway = new GatewayConfig { Enabled = false, Replicas = 3, TokenTtl = "2h", MaxTokenTtl = "4h", ServiceType = "LoadBalancer", Port = 443 },
            BuildkitImage = "example/buildkit:1",
            GatewayImage = "example/gateway:1",
        };

        var defaulted = BuildKitPoolDefaulter.Apply(spec);

        Assert.Equal(("manual", 3, 4, "5m", 50), (defaulted.Scaling!.Mode, defaulted.Scaling.Min, defaulted.Scaling.Max, defaulted.Scaling.ScaleDownDelay, defaulted.Scaling.TargetCpuUtilization));
        Assert.False(defaulted.Tls!.Enabled);
        Assert.Equal("24h", defaulted.Tls.Auto!.ServerCertDuration);
        Assert.Equal("720h", defaulted.Tls.Auto.RotateBeforeExpiry);
        Assert.False(defaulted.Gateway!.Enabled);
        Assert.Equal((3, "2h", "4h", "LoadBalancer", 443), (defaulted.Gateway.Replicas, defaulted.Gateway.TokenTtl, defaulted.Gateway.MaxTokenTtl, defaulted.Gateway.ServiceType, defaulted.Gateway.Port));
        Assert.Equal("example/buildkit:1", defaulted.BuildkitImage);
        Assert.Equal("example/gateway:1", defaulted.GatewayImage);
    }

    [Fact]
    public void Empty_strings_count_as_unset_as_in_Go()
    {
        var spec = new BuildKitPoolSpec { Scaling = new ScalingConfig { Mode = "" }, Gateway = new GatewayConfig { TokenTtl = "" }, BuildkitImage = "" };

        var defaulted = BuildKitPoolDefaulter.Apply(spec);

        Assert.Equal("auto", defaulted.Scaling!.Mode);
        Assert.Equal("1h", defaulted.Gateway!.TokenTtl);
        Assert.Equal("moby/buildkit:master-rootless", defaulted.BuildkitImage);
    }

    [Fact]
    public void Gateway_service_type_and_port_follow_networking()
    {
        var spec = new BuildKitPoolSpec { Networking = new NetworkingConfig { ServiceType = "LoadBalancer", Port = 8443 } };

        var gateway = BuildKitPoolDefaulter.Apply(spec).Gateway!;

        Assert.Equal("LoadBalancer", gateway.ServiceType);
        Assert.Equal(8443, gateway.Port);
    }

    [Fact]
    public void Explicit_buildkit_resources_without_a_size_are_used_as_they_are()
    {
        var spec = new BuildKitPoolSpec
        {
            Resources = new ResourceConfig { Buildkit = new ResourceRequirements { Limits = new() { ["memory"] = "1Gi" } } },
        };

        var buildkit = BuildKitPoolDefaulter.Apply(spec).Resources!.Buildkit!;

        Assert.Null(buildkit.Requests);
        Assert.Equal(new Dictionary<string, string> { ["memory"] = "1Gi" }, buildkit.Limits);
    }

    [Fact]
    public void Empty_buildkit_resources_get_the_md_preset()
    {
        var spec = new BuildKitPoolSpec { Resources = new ResourceConfig { Buildkit = new ResourceRequirements { Requests = [], Limits = [] } } };

        var buildkit = BuildKitPoolDefaulter.Apply(spec).Resources!.Buildkit!;

        Assert.Equal("1", buildkit.Requests!["cpu"]);
        Assert.Equal("4Gi", buildkit.Limits!["memory"]);
    }

    [Fact]
    public void A_size_gives_its_preset_and_explicit_values_override_it_key_by_key()
    {
        var spec = new BuildKitPoolSpec
        {
            Resources = new ResourceConfig
            {
                Size = "lg",
                Buildkit = new ResourceRequirements { Requests = new() { ["ephemeral-storage"] = "20Gi", ["memory"] = "6Gi" } },
            },
        };

        var resources = BuildKitPoolDefaulter.Apply(spec).Resources!;

        Assert.Equal("lg", resources.Size);
        Assert.Equal(new Dictionary<string, string> { ["cpu"] = "2", ["memory"] = "6Gi", ["ephemeral-storage"] = "20Gi" }, resources.Buildkit!.Requests);
        Assert.Equal(new Dictionary<string, string> { ["cpu"] = "8", ["memory"] = "8Gi" }, resources.Buildkit.Limits);
    }

    [Theory]
    [InlineData("sm", "500m")]
    [InlineData("xl", "4")]
    [InlineData("huge", "1")]
    public void The_size_selects_the_preset_and_an_unknown_size_falls_back_to_md(string size, string expectedCpuRequest)
    {
        var spec = new BuildKitPoolSpec { Resources = new ResourceConfig { Size = size } };

        Assert.Equal(expectedCpuRequest, BuildKitPoolDefaulter.Apply(spec).Resources!.Buildkit!.Requests!["cpu"]);
    }

    [Theory]
    [InlineData("rootless", "moby/buildkit:master-rootless")]
    [InlineData("userns", "moby/buildkit:master")]
    [InlineData("privileged", "moby/buildkit:master")]
    public void The_default_BuildKit_image_follows_the_security_profile(string profile, string image)
    {
        var spec = new BuildKitPoolSpec { Worker = new WorkerConfig { SecurityProfile = profile } };

        Assert.Equal(image, BuildKitPoolDefaulter.Apply(spec).BuildkitImage);
    }

    [Fact]
    public void Deployment_options_supply_the_images()
    {
        var options = new PoolDefaultingOptions { GatewayImage = "registry.example.com/gateway:0.1.0", RootlessBuildkitImage = "mirror/buildkit:rootless" };

        var spec = BuildKitPoolDefaulter.Apply(new BuildKitPoolSpec(), options);

        Assert.Equal("registry.example.com/gateway:0.1.0", spec.GatewayImage);
        Assert.Equal("mirror/buildkit:rootless", spec.BuildkitImage);
    }

    [Fact]
    public void Nested_defaults_apply_inside_list_items_and_optional_objects()
    {
        var spec = new BuildKitPoolSpec
        {
            Cache = new CacheConfig { Backends = [new CacheBackend { Type = "registry", Registry = new RegistryCacheConfig { Endpoint = "r" } }, new CacheBackend { Type = "s3", S3 = new S3CacheConfig { Bucket = "b", Region = "r" } }] },
            Auth = new AuthConfig
            {
                Methods = [new AuthMethod { Type = "mtls", Mtls = new MtlsConfig() }, new AuthMethod { Type = "oidc", Oidc = new OidcAuthConfig { Issuer = "https://i", Audience = "a" } }, new AuthMethod { Type = "token" }],
                Rbac = new RbacConfig(),
            },
            Gateway = new GatewayConfig { GatewayApi = new GatewayApiConfig { Enabled = true, Hostname = "b.example.com" } },
        };

        var defaulted = BuildKitPoolDefaulter.Apply(spec);

        Assert.Equal(("max", "zstd"), (defaulted.Cache!.Backends![0].Registry!.Mode, defaulted.Cache.Backends[0].Registry!.Compression));
        Assert.Null(defaulted.Cache.Backends[1].Registry);
        Assert.True(defaulted.Auth!.Methods![0].Mtls!.Required);
        Assert.Equal("sub", defaulted.Auth.Methods[1].Oidc!.ClaimsMapping!.User);
        Assert.Null(defaulted.Auth.Methods[2].Mtls);
        Assert.True(defaulted.Auth.Rbac!.Enabled);
        Assert.Equal("envoy", defaulted.Gateway!.GatewayApi!.GatewayClassName);
        Assert.Equal("passthrough", defaulted.Gateway.GatewayApi.Tls!.Mode);
        Assert.True(defaulted.Gateway.GatewayApi.Tls.AutoGenerate);
    }

    [Fact]
    public void Manual_TLS_gets_no_automatic_certificate_settings()
    {
        var spec = new BuildKitPoolSpec { Tls = new TlsConfig { Mode = "manual", Manual = new TlsManualConfig { CaSecret = "ca", ServerCertSecret = "srv" } } };

        var tls = BuildKitPoolDefaulter.Apply(spec).Tls!;

        Assert.Null(tls.Auto);
        Assert.Equal("srv", tls.Manual!.ServerCertSecret);
    }

    [Fact]
    public void Pool_defaulting_names_the_Gateway_API_gateway_after_the_pool_unless_a_gateway_is_referenced()
    {
        var created = new BuildKitPool { Metadata = { Name = "ci" }, Spec = { Gateway = new GatewayConfig { GatewayApi = new GatewayApiConfig { Enabled = true } } } };
        var referenced = created with { Spec = new BuildKitPoolSpec { Gateway = new GatewayConfig { GatewayApi = new GatewayApiConfig { GatewayRef = new GatewayApiRef { Name = "shared" } } } } };

        Assert.Equal("ci-gateway", BuildKitPoolDefaulter.Apply(created).Spec.Gateway!.GatewayApi!.GatewayName);
        var defaultedReferenced = BuildKitPoolDefaulter.Apply(referenced).Spec.Gateway!.GatewayApi!;
        Assert.Null(defaultedReferenced.GatewayName);
        Assert.Null(defaultedReferenced.GatewayClassName);
        Assert.Null(created.Spec.Gateway.GatewayApi.GatewayName);
    }

    [Fact]
    public void Defaulting_is_idempotent()
    {
        var once = BuildKitPoolDefaulter.Apply(new BuildKitPoolSpec { Resources = new ResourceConfig { Size = "sm" } });
        var twice = BuildKitPoolDefaulter.Apply(once);

        Assert.Equal(JsonSerializer.Serialize(once, CoreJsonContext.Default.BuildKitPoolSpec), JsonSerializer.Serialize(twice, CoreJsonContext.Default.BuildKitPoolSpec));
    }

    [Fact]
    public void Unknown_fields_survive_defaulting()
    {
        var spec = JsonSerializer.Deserialize("""{"scaling":{"burst":3},"experimental":true}""", CoreJsonContext.Default.BuildKitPoolSpec)!;

        var written = JsonSerializer.SerializeToNode(BuildKitPoolDefaulter.Apply(spec), CoreJsonContext.Default.BuildKitPoolSpec)!;

        Assert.Equal(3, (int)written["scaling"]!["burst"]!);
        Assert.True((bool)written["experimental"]!);
    }
}
