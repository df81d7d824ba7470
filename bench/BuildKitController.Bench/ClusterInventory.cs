using System.Text.Json.Nodes;
using BuildKitController.Core.Api.V1Alpha1;
using BuildKitController.Kubernetes.Models;
using BuildKitController.Kubernetes.Models.AppsV1;
using BuildKitController.Kubernetes.Models.CoreV1;
using BuildKitController.Kubernetes.Models.NetworkingV1;
using BuildKitController.Kubernetes.Models.PolicyV1;
using BuildKitController.Testing.FakeKubernetes;

namespace BuildKitController.Bench;

/// <summary>One kind of object in the cluster: how many, and their JSON size with and without <c>metadata.managedFields</c>.</summary>
internal sealed record InventoryLine(string Kind, int Count, long JsonBytes, long ManagedFieldsBytes);

/// <summary>
/// What the controller's informers have to hold after convergence: the objects of every kind it caches, as stored in
/// the fake API server, with the share of <c>metadata.managedFields</c> (the controller keeps unknown fields, so
/// managedFields end up in its cache too).
/// </summary>
internal static class ClusterInventory
{
    private static readonly ResourceType[] Kinds =
    [
        BuildKitPool.Resource, BuildKitWorker.Resource, Pod.Resource, Secret.Resource, ConfigMap.Resource, Deployment.Resource,
        Service.Resource, NetworkPolicy.Resource, PodDisruptionBudget.Resource,
    ];

    public static IReadOnlyList<InventoryLine> Take(FakeApiServer server) =>
        [.. Kinds.Select(kind => Measure(kind, server.List(kind)))];

    private static InventoryLine Measure(ResourceType kind, IReadOnlyList<JsonObject> objects)
    {
        long json = 0, managed = 0;
        foreach (var obj in objects)
        {
            json += System.Text.Encoding.UTF8.GetByteCount(obj.ToJsonString());
            if (obj["metadata"]?["managedFields"] is { } fields)
            {
                managed += System.Text.Encoding.UTF8.GetByteCount(fields.ToJsonString());
            }
        }

        return new InventoryLine(kind.Kind, objects.Count, json, managed);
    }
}
