using System.Text.Json.Nodes;
using BuildKitController.Core.Api.V1Alpha1;
using BuildKitController.Kubernetes.Models;
using BuildKitController.Kubernetes.Models.AppsV1;
using BuildKitController.Kubernetes.Models.CoordinationV1;
using BuildKitController.Kubernetes.Models.CoreV1;
using BuildKitController.Kubernetes.Models.NetworkingV1;
using BuildKitController.Kubernetes.Models.PolicyV1;
using BuildKitController.Kubernetes.Models.RbacV1;
using BuildKitController.Kubernetes.Yaml;
using BuildKitController.Testing;

namespace BuildKitController.Operator.Tests.Pools;

/// <summary>The shipped ClusterRole grants every verb the controller uses on every resource it touches.</summary>
public sealed class RbacManifestTests
{
    public static TheoryData<string, string, string> Needed()
    {
        var data = new TheoryData<string, string, string>();
        void All(ResourceType type, params string[] verbs)
        {
            foreach (var verb in verbs)
            {
                data.Add(type.Group, type.Plural, verb);
            }
        }

        string[] owned = ["get", "list", "watch", "create", "update", "patch", "delete"];
        All(BuildKitPool.Resource, owned);
        All(BuildKitWorker.Resource, owned);
        All(BuildKitOIDCConfig.Resource, "list", "watch");
        foreach (var type in new[] { ServiceAccount.Resource, Pod.Resource, Service.Resource, ConfigMap.Resource, Secret.Resource, Deployment.Resource, NetworkPolicy.Resource, Ingress.Resource, PodDisruptionBudget.Resource, Role.Resource, RoleBinding.Resource })
        {
            All(type, "list", "watch", "create", "patch", "delete");
        }

        data.Add(BuildKitApi.Group, "buildkitpools/status", "patch");
        data.Add(BuildKitApi.Group, "buildkitworkers/status", "update");
        data.Add(BuildKitApi.Group, "buildkitoidcconfigs/status", "update");
        data.Add(BuildKitApi.Group, "buildkitpools/finalizers", "update");
        data.Add(BuildKitApi.Group, "buildkitworkers/finalizers", "update");
        All(Event.Resource, "create", "patch");
        All(Lease.Resource, "get", "create", "update");
        return data;
    }

    [Theory]
    [MemberData(nameof(Needed))]
    public void The_cluster_role_grants_what_the_controller_does(string group, string resource, string verb)
    {
        var role = YamlJson.ParseSingle(File.ReadAllText(RepositoryFiles.PathOf("deploy", "rbac", "controller-clusterrole.yaml"))).AsObject();
        var granted = role["rules"]!.AsArray().Select(r => r!.AsObject()).Any(rule =>
            Strings(rule["apiGroups"]).Contains(group) && Strings(rule["resources"]).Contains(resource) && Strings(rule["verbs"]).Contains(verb));
        Assert.True(granted, $"{verb} {resource}.{group} is not granted");
    }

    [Fact]
    public void The_controller_holds_every_permission_it_grants_a_gateway_so_it_needs_no_escalate_or_bind()
    {
        var pool = new BuildKitPool { Metadata = new ObjectMeta { Name = "ci", Namespace = "team-a", Uid = "u" } };
        var gateway = Operator.Pools.GatewayRbacBuilder.Role(pool);

        Assert.NotEmpty(gateway.Rules!);
        foreach (var rule in gateway.Rules!)
        {
            foreach (var (group, resource, verb) in from g in rule.ApiGroups! from r in rule.Resources! from v in rule.Verbs select (g, r, v))
            {
                The_cluster_role_grants_what_the_controller_does(group, resource, verb);
            }
        }
    }

    private static List<string> Strings(JsonNode? node) => node?.AsArray().Select(n => n!.GetValue<string>()).ToList() ?? [];
}
