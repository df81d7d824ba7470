using System.Security.Cryptography.X509Certificates;
using System.Text;
using BuildKitController.Core.Api.V1Alpha1;
using BuildKitController.Kubernetes.Models;
using BuildKitController.Kubernetes.Models.AppsV1;
using BuildKitController.Kubernetes.Models.CoreV1;
using BuildKitController.Kubernetes.Models.NetworkingV1;
using BuildKitController.Kubernetes.Models.PolicyV1;
using BuildKitController.Kubernetes.Models.RbacV1;
using BuildKitController.Operator.Informers;

namespace BuildKitController.Operator.Tests.Pools;

public sealed class PoolControllerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Text(Secret secret, string key) => Encoding.ASCII.GetString(secret.Data![key]);

    private static bool IsReady(BuildKitPool? pool) =>
        pool?.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == ConditionStatus.True) == true;

    [Fact]
    public async Task A_new_pool_gets_every_owned_object_and_a_ready_status()
    {
        await using var h = await PoolHarness.StartAsync();
        var created = await h.CreatePoolAsync("ci");

        var pool = await h.WaitForAsync<BuildKitPool>("default", "ci", p => IsReady(p) && p!.Status!.Phase == PoolPhases.ScaledToZero);
        Assert.Equal("tcp://ci.default.svc:1235", pool!.Status!.Endpoint);
        Assert.True(pool.Status.Gateway!.Ready);
        Assert.Equal("ci-gateway", pool.Status.Gateway.DeploymentName);
        Assert.Equal(0, pool.Status.Workers!.Total);
        Assert.Equal("ci-tls", pool.Status.TlsSecretName);
        Assert.NotNull(pool.Status.ServerCert!.NotAfter);
        Assert.Contains("buildkit.smrt-devops.net/pool-finalizer", pool.Metadata.Finalizers!);
        Assert.Contains(pool.Status.Conditions!, c => c.Type == "UnsupportedFields" && c.Status == ConditionStatus.False);

        var deployment = await h.Client.For<Deployment>().GetAsync("default", "ci-gateway", Ct);
        var service = await h.Client.For<Service>().GetAsync("default", "ci", Ct);
        var config = await h.Client.For<ConfigMap>().GetAsync("default", "ci-config", Ct);
        var workerPolicy = await h.Client.For<NetworkPolicy>().GetAsync("default", "ci-workers", Ct);
        var budget = await h.Client.For<PodDisruptionBudget>().GetAsync("default", "ci-gateway", Ct);
        var role = await h.Client.For<Role>().GetAsync("default", "ci-gateway", Ct);
        var binding = await h.Client.For<RoleBinding>().GetAsync("default", "ci-gateway", Ct);
        foreach (var owned in new IKubernetesObject[] { deployment, service, config, workerPolicy, budget, role, binding })
        {
            var owner = Assert.Single(owned.Metadata.OwnerReferences!);
            Assert.Equal(created.Metadata.Uid, owner.Uid);
            Assert.True(owner.Controller);
            Assert.Equal("buildkit-controller", owned.Metadata.Labels!["app.kubernetes.io/managed-by"]);
        }

        Assert.Equal("ClusterIP", service.Spec!.Type);
        Assert.Equal(1235, service.Spec.Ports!.Single(p => p.Name == "gateway").Port);
        Assert.Equal("gateway", service.Spec.Selector!["buildkit.smrt-devops.net/purpose"]);
        Assert.Contains("[worker.oci]", config.Data!["buildkitd.toml"], StringComparison.Ordinal);
        Assert.Equal("worker", workerPolicy.Spec!.PodSelector.MatchLabels!["buildkit.smrt-devops.net/purpose"]);
        Assert.Equal("gateway", workerPolicy.Spec.Ingress!.Single().From!.Single().PodSelector!.MatchLabels!["buildkit.smrt-devops.net/purpose"]);
        var container = deployment.Spec!.Template.Spec!.Containers!.Single();
        Assert.Contains("--pool-name", container.Args!);
        Assert.Equal(1, deployment.Spec.Replicas);
        Assert.True(container.SecurityContext!.ReadOnlyRootFilesystem);
        Assert.Equal("/healthz", container.LivenessProbe!.HttpGet!.Path);
        Assert.Equal(["ci-tls", "ci-client-certs"], deployment.Spec.Template.Spec.Volumes!.Select(v => v.Secret!.SecretName!));

        // The gateway may read the namespace's workers and patch their status; nothing else.
        Assert.Equal(["buildkitworkers:get,list,watch", "buildkitworkers/status:get,patch"],
            role.Rules!.Select(r => $"{string.Join(',', r.Resources!)}:{string.Join(',', r.Verbs)}"));
        Assert.All(role.Rules!, r => Assert.Equal(["buildkit.smrt-devops.net"], r.ApiGroups!));
        var subject = Assert.Single(binding.Subjects!);
        Assert.Equal(("ServiceAccount", "ci-gateway", "default"), (subject.Kind, subject.Name, subject.Namespace));
        Assert.Equal(("Role", "ci-gateway"), (binding.RoleRef.Kind, binding.RoleRef.Name));
        Assert.Equal("ci-gateway", deployment.Spec.Template.Spec.ServiceAccountName);
    }

    [Fact]
    public async Task Pool_certificates_keep_trust_per_pool_and_workers_reachable_only_by_the_gateway()
    {
        await using var h = await PoolHarness.StartAsync();
        await h.CreatePoolAsync("a");
        await h.CreatePoolAsync("b");
        await h.WaitForAsync<BuildKitPool>("default", "a", IsReady);
        await h.WaitForAsync<BuildKitPool>("default", "b", IsReady);

        var secrets = h.Client.For<Secret>();
        var root = await secrets.GetAsync("buildkit-system", "buildkit-ca", Ct);
        using var rootCert = X509Certificate2.CreateFromPem(Text(root, "ca.crt"));
        Assert.Contains("EC PRIVATE KEY", Text(root, "ca.key"), StringComparison.Ordinal);

        var aTls = await secrets.GetAsync("default", "a-tls", Ct);
        var bTls = await secrets.GetAsync("default", "b-tls", Ct);
        var aWorker = await secrets.GetAsync("default", "a-worker-tls", Ct);
        var aGatewayClient = await secrets.GetAsync("default", "a-client-certs", Ct);
        Assert.Equal("kubernetes.io/tls", aTls.Type);

        // The gateway server certificate verifies against the root CA (its chain is served) and names the Service.
        var chain = new X509Certificate2Collection();
        chain.ImportFromPem(Text(aTls, "tls.crt"));
        Assert.Equal(2, chain.Count);
        using var serverCert = chain[0];
        Assert.True(Verify(serverCert, rootCert, chain[1]));
        var names = serverCert.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateDnsNames().ToList();
        Assert.Contains("a.default.svc", names);
        Assert.Contains("a.default.svc.cluster.local", names);

        // Each gateway trusts only its own pool's client CA: pool A's CA does not verify against B's.
        using var aClientCa = X509Certificate2.CreateFromPem(Text(aTls, "ca.crt"));
        using var bClientCa = X509Certificate2.CreateFromPem(Text(bTls, "ca.crt"));
        Assert.NotEqual(aClientCa.Thumbprint, bClientCa.Thumbprint);
        Assert.True(Verify(aClientCa, rootCert));

        // Workers trust only the worker CA, which is not the root and not a client CA; the gateway's client
        // certificate towards workers is issued by it.
        using var workerCa = X509Certificate2.CreateFromPem(Text(aWorker, "ca.crt"));
        Assert.NotEqual(rootCert.Thumbprint, workerCa.Thumbprint);
        Assert.NotEqual(aClientCa.Thumbprint, workerCa.Thumbprint);
        using var gatewayClient = X509Certificate2.CreateFromPem(Text(aGatewayClient, "client.crt"));
        Assert.True(Verify(gatewayClient, workerCa));
        Assert.False(Verify(serverCert, workerCa));
        Assert.Equal(Text(aWorker, "ca.crt"), Text(aGatewayClient, "ca.crt"));
    }

    [Fact]
    public async Task Deleting_a_pool_removes_its_workers_and_owned_objects_even_without_a_garbage_collector()
    {
        await using var h = await PoolHarness.StartAsync(garbageCollection: false);
        await h.CreatePoolAsync("ci", new BuildKitPoolSpec { Scaling = new ScalingConfig { Min = 2 } });
        var uid = (await h.WaitForAsync<BuildKitPool>("default", "ci", p => p?.Status?.Workers?.Idle == 2))!.Metadata.Uid!;
        Assert.True(DefaultedPools.Holds(uid));

        await h.Client.For<BuildKitPool>().DeleteAsync("default", "ci", null, Ct);
        await h.WaitForAsync<BuildKitPool>("default", "ci", p => p is null);

        Assert.False(DefaultedPools.Holds(uid));

        Assert.Empty((await h.Client.For<BuildKitWorker>().ListAsync("default", null, Ct)).Items);
        Assert.Empty((await h.Client.For<Pod>().ListAsync("default", null, Ct)).Items);
        Assert.Empty((await h.Client.For<Deployment>().ListAsync("default", null, Ct)).Items);
        Assert.Empty((await h.Client.For<Service>().ListAsync("default", null, Ct)).Items);
        Assert.Empty((await h.Client.For<ConfigMap>().ListAsync("default", null, Ct)).Items);
        Assert.Empty((await h.Client.For<Secret>().ListAsync("default", null, Ct)).Items);
        Assert.Empty((await h.Client.For<NetworkPolicy>().ListAsync("default", null, Ct)).Items);
        Assert.Empty((await h.Client.For<PodDisruptionBudget>().ListAsync("default", null, Ct)).Items);
        Assert.Empty((await h.Client.For<Role>().ListAsync("default", null, Ct)).Items);
        Assert.Empty((await h.Client.For<RoleBinding>().ListAsync("default", null, Ct)).Items);

        // The cluster's root CA outlives any pool.
        Assert.NotNull(await h.Client.For<Secret>().TryGetAsync("buildkit-system", "buildkit-ca", Ct));
    }

    private static bool Verify(X509Certificate2 leaf, X509Certificate2 anchor, X509Certificate2? intermediate = null)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(anchor);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (intermediate is not null)
        {
            chain.ChainPolicy.ExtraStore.Add(intermediate);
        }

        return chain.Build(leaf);
    }
}
