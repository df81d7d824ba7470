using System.Text;
using BuildKitController.Core.Api.V1Alpha1;
using BuildKitController.Kubernetes.Models;
using BuildKitController.Kubernetes.Models.AppsV1;
using BuildKitController.Kubernetes.Models.CoreV1;
using BuildKitController.Kubernetes.Models.NetworkingV1;
using BuildKitController.Kubernetes.Models.RbacV1;
using BuildKitController.Operator.Pools;

namespace BuildKitController.Operator.Tests.Pools;

public sealed class PoolConvergenceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static bool IsReady(BuildKitPool? pool) =>
        pool?.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == ConditionStatus.True) == true;

    private static Condition? ConditionOf(BuildKitPool? pool, string type) => pool?.Status?.Conditions?.FirstOrDefault(c => c.Type == type);

    [Fact]
    public async Task Editing_the_spec_converges_the_service_deployment_and_config()
    {
        await using var h = await PoolHarness.StartAsync();
        await h.CreatePoolAsync("ci", new BuildKitPoolSpec { Networking = new NetworkingConfig { Annotations = new() { ["team"] = "a", ["cost"] = "x" } } });
        await h.WaitForAsync<BuildKitPool>("default", "ci", IsReady);

        await h.EditPoolAsync("ci", p =>
        {
            p.Spec.Gateway = new GatewayConfig { ServiceType = ServiceTypes.NodePort, NodePort = 30123, Replicas = 2 };
            p.Spec.GatewayImage = "registry.example/gateway:2";
            p.Spec.BuildkitConfig = "debug = true\n";
            p.Spec.Networking!.Annotations = new() { ["team"] = "b" };
        });

        var service = await h.WaitForAsync<Service>("default", "ci", s => s?.Spec?.Type == ServiceTypes.NodePort);
        Assert.Equal(30123, service!.Spec!.Ports!.Single(p => p.Name == "gateway").NodePort);
        Assert.DoesNotContain(service.Spec.Ports!, p => p.Name == "metrics");
        Assert.Equal("b", service.Metadata.Annotations!["team"]);
        Assert.False(service.Metadata.Annotations.ContainsKey("cost"));

        var deployment = await h.WaitForAsync<Deployment>("default", "ci-gateway", d => d?.Spec?.Replicas == 2);
        Assert.Equal("registry.example/gateway:2", deployment!.Spec!.Template.Spec!.Containers!.Single().Image);
        Assert.NotNull(deployment.Spec.Template.Spec.TopologySpreadConstraints);
        var config = await h.WaitForAsync<ConfigMap>("default", "ci-config", c => c?.Data?["buildkitd.toml"] == "debug = true\n");
        Assert.NotNull(config);
        await h.WaitForAsync<BuildKitPool>("default", "ci", p => p?.Status?.Gateway?.ReadyReplicas == 2);

        // Turning the gateway off removes its objects; the pool stays usable in-cluster.
        await h.EditPoolAsync("ci", p => p.Spec.Gateway!.Enabled = false);
        await h.WaitForAsync<Deployment>("default", "ci-gateway", d => d is null);
        await h.WaitForAsync<Service>("default", "ci", s => s is null);
        await h.WaitForAsync<RoleBinding>("default", "ci-gateway", b => b is null);
        await h.WaitForAsync<Role>("default", "ci-gateway", r => r is null);
        var pool = await h.WaitForAsync<BuildKitPool>("default", "ci", p => ConditionOf(p, "Ready")?.Reason == PoolConditions.GatewayDisabled);
        Assert.Equal(PoolPhases.ScaledToZero, pool!.Status!.Phase);
    }

    [Fact]
    public async Task A_corrupt_root_CA_is_reported_never_replaced_and_recovers_when_an_admin_removes_it()
    {
        await using var h = await PoolHarness.StartAsync(startControllers: false);
        var corrupt = await h.Client.For<Secret>().CreateAsync(new Secret
        {
            Metadata = new ObjectMeta { Name = "buildkit-ca", Namespace = "buildkit-system" },
            Data = new() { ["ca.crt"] = Encoding.ASCII.GetBytes("-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n"), ["ca.key"] = [1, 2, 3] },
        }, Ct);
        await h.CreatePoolAsync("ci");
        h.StartControllers();

        var failed = await h.WaitForAsync<BuildKitPool>("default", "ci", p => p?.Status?.Phase == PoolPhases.Failed);
        var ready = ConditionOf(failed, "Ready")!;
        Assert.Equal(PoolConditions.CertificateAuthorityInvalid, ready.Reason);
        Assert.Contains("buildkit-system/buildkit-ca", ready.Message, StringComparison.Ordinal);
        var events = await h.WaitForListAsync<Event>("default", l => l.Any(e => e.Reason == PoolConditions.CertificateAuthorityInvalid), timeout: TimeSpan.FromSeconds(30));
        Assert.Equal("Warning", events.First(e => e.Reason == PoolConditions.CertificateAuthorityInvalid).Type);
        var after = await h.Client.For<Secret>().GetAsync("buildkit-system", "buildkit-ca", Ct);
        Assert.Equal(corrupt.Metadata.ResourceVersion, after.Metadata.ResourceVersion);
        Assert.Null(await h.Client.For<Secret>().TryGetAsync("default", "ci-tls", Ct));

        await h.Client.For<Secret>().DeleteAsync("buildkit-system", "buildkit-ca", null, Ct);
        await h.WaitForAsync<BuildKitPool>("default", "ci", IsReady);
        Assert.NotNull(await h.Client.For<Secret>().TryGetAsync("default", "ci-tls", Ct));
    }

    [Fact]
    public async Task An_invalid_spec_is_reported_and_unsupported_fields_are_listed()
    {
        await using var h = await PoolHarness.StartAsync();
        await h.CreatePoolAsync("bad", new BuildKitPoolSpec { Scaling = new ScalingConfig { Min = 5, Max = 2 } });
        await h.CreatePoolAsync("odd", new BuildKitPoolSpec { Scaling = new ScalingConfig { Mode = ScalingModes.Dynamic, TargetCpuUtilization = 50 } });

        var bad = await h.WaitForAsync<BuildKitPool>("default", "bad", p => p?.Status?.Phase == PoolPhases.Failed);
        Assert.Equal(PoolConditions.InvalidSpec, ConditionOf(bad, "Ready")!.Reason);
        Assert.Contains("spec.scaling", ConditionOf(bad, "Ready")!.Message, StringComparison.Ordinal);
        Assert.Null(await h.Client.For<Deployment>().TryGetAsync("default", "bad-gateway", Ct));

        var odd = await h.WaitForAsync<BuildKitPool>("default", "odd", p => ConditionOf(p, "UnsupportedFields")?.Status == ConditionStatus.True);
        var message = ConditionOf(odd, "UnsupportedFields")!.Message;
        Assert.Contains("spec.scaling.mode=dynamic", message, StringComparison.Ordinal);
        Assert.Contains("spec.scaling.targetCPUUtilization=50", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_ingress_is_created_only_when_allowed_and_removed_when_no_longer_wanted()
    {
        await using var h = await PoolHarness.StartAsync(options: new PoolControllerOptions { AllowedIngressTypes = new HashSet<string> { IngressTypes.Ingress } });
        await h.CreatePoolAsync("ci", new BuildKitPoolSpec
        {
            Gateway = new GatewayConfig
            {
                Ingress = new IngressConfig { Enabled = true, Hostname = "ci.builds.example", IngressClassName = "nginx", Annotations = new() { ["nginx.ingress.kubernetes.io/ssl-passthrough"] = "true" } },
                GatewayApi = new GatewayApiConfig { Enabled = true, Hostname = "other.example" },
            },
        });

        var ingress = await h.WaitForAsync<Ingress>("default", "ci-ingress", i => i is not null);
        Assert.Equal("ci.builds.example", ingress!.Spec!.Rules!.Single().Host);
        Assert.Equal("ci", ingress.Spec.Rules!.Single().Http!.Paths.Single().Backend.Service!.Name);
        var pool = await h.WaitForAsync<BuildKitPool>("default", "ci", p => ConditionOf(p, "ExternalAccess") is not null && p!.Status!.Endpoint is not null);
        Assert.Equal(PoolConditions.NotAllowed, ConditionOf(pool, "ExternalAccess")!.Reason);
        Assert.Contains("gatewayapi", ConditionOf(pool, "ExternalAccess")!.Message, StringComparison.Ordinal);

        // The external names are in the gateway's server certificate.
        var tls = await h.WaitForAsync<Secret>("default", "ci-tls", s => s is not null);
        using var certificate = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(Encoding.ASCII.GetString(tls!.Data!["tls.crt"]));
        var names = certificate.Extensions.OfType<System.Security.Cryptography.X509Certificates.X509SubjectAlternativeNameExtension>().Single().EnumerateDnsNames().ToList();
        Assert.Contains("ci.builds.example", names);

        await h.EditPoolAsync("ci", p => p.Spec.Gateway!.Ingress!.Enabled = false);
        await h.WaitForAsync<Ingress>("default", "ci-ingress", i => i is null);
    }

    [Fact]
    public async Task A_new_image_or_buildkitd_config_replaces_idle_workers_but_not_allocated_ones()
    {
        await using var h = await PoolHarness.StartAsync();
        await h.CreatePoolAsync("ci", new BuildKitPoolSpec { Scaling = new ScalingConfig { Min = 1 } });
        var workers = await h.WaitForListAsync<BuildKitWorker>("default", l => l.Count == 1 && l[0].Status?.Phase == WorkerPhases.Idle);
        var busy = workers[0];
        busy.Spec.Allocation = new WorkerAllocation { JobId = "j", TokenHash = new string('b', 64), AllocatedAt = DateTimeOffset.UtcNow, ExpiresAt = DateTimeOffset.UtcNow.AddHours(1) };
        await h.Client.For<BuildKitWorker>().UpdateAsync(busy, Ct);
        static bool Warm(BuildKitWorker w) => w.Spec.Allocation is null && w.Status?.Phase == WorkerPhases.Idle;
        var idle = (await h.WaitForListAsync<BuildKitWorker>("default", l => l.Count(Warm) == 1)).Single(Warm);

        await h.EditPoolAsync("ci", p =>
        {
            p.Spec.BuildkitImage = "moby/buildkit:v0.99-rootless";
            p.Spec.BuildkitConfig = "debug = true\n";
        });

        // The idle worker is replaced by one running the new image (maybe in the same slot name, so compare uids);
        // the allocated one keeps its pod.
        var replaced = await h.WaitForListAsync<BuildKitWorker>("default", l =>
            l.Count == 2 && l.All(w => w.Metadata.Uid != idle.Metadata.Uid) && l.Any(Warm));

        var fresh = replaced.Single(w => w.Spec.Allocation is null);
        var pod = await h.Client.For<Pod>().GetAsync("default", fresh.Metadata.Name!, Ct);
        Assert.Equal("moby/buildkit:v0.99-rootless", pod.Spec!.Containers!.Single().Image);
        var busyPod = await h.Client.For<Pod>().GetAsync("default", busy.Metadata.Name!, Ct);
        Assert.NotEqual("moby/buildkit:v0.99-rootless", busyPod.Spec!.Containers!.Single().Image);
    }
}
