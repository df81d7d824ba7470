using System.Globalization;
using System.Text.Json.Nodes;
using BuildKitController.Kubernetes.Models.AppsV1;
using BuildKitController.Kubernetes.Models.CoreV1;
using BuildKitController.Testing.FakeKubernetes.Json;
using BuildKitController.Testing.FakeKubernetes.Operations;
using BuildKitController.Testing.FakeKubernetes.Storage;

namespace BuildKitController.Testing.FakeKubernetes.Controllers;

/// <summary>
/// Stands in for nodes and the deployment controller: new pods get a status (by default Running and Ready with
/// a distinct loopback IP, 127.0.0.2, 127.0.0.3, …, where a test can listen), and Deployments report all their
/// replicas ready for the current generation. Tests can change a pod's readiness or fail it afterwards.
/// </summary>
internal sealed class ClusterSimulator(ResourceService service, FakeApiServerOptions options)
    : StoreEventProcessor(service.Store, options.SimulateKubelet || options.SimulateDeploymentController)
{
    private const string Kubelet = "kubelet";
    private const string DeploymentController = "kube-controller-manager";

    private readonly Lock _ipLock = new();
    private int _nextIp = 2;

    /// <summary>Sets a running pod's Ready condition (a failing or recovering readiness probe).</summary>
    public bool SetPodReady(string ns, string name, bool ready) => MutatePod(ns, name, pod =>
    {
        var status = pod["status"] as JsonObject;
        if (status?["conditions"] is not JsonArray conditions)
        {
            return false;
        }

        var value = ready ? "True" : "False";
        foreach (var condition in conditions.OfType<JsonObject>().Where(c => c.GetString("type") is "Ready" or "ContainersReady"))
        {
            condition["status"] = value;
            condition["lastTransitionTime"] = Now();
        }

        foreach (var container in (status["containerStatuses"] as JsonArray ?? []).OfType<JsonObject>())
        {
            container["ready"] = ready;
        }

        return true;
    });

    /// <summary>Moves a pod to <c>Failed</c> (its containers exited).</summary>
    public bool FailPod(string ns, string name, string reason = "Error") => MutatePod(ns, name, pod =>
    {
        pod["status"] = new JsonObject { ["phase"] = "Failed", ["reason"] = reason, ["message"] = "simulated failure" };
        return true;
    });

    protected override void Process(StoredEvent change)
    {
        if (change.Type is Kubernetes.Models.WatchEventType.Deleted || change.Object.IsBeingDeleted)
        {
            return;
        }

        var obj = change.Object;
        var type = change.Resource.Type;
        if (options.SimulateKubelet && type == Pod.Resource && IsUnstarted(obj.ToNode()))
        {
            var fate = options.PodFate?.Invoke(obj.Namespace, obj.Name) ?? PodFate.Running;
            if (fate != PodFate.Pending)
            {
                service.Mutate(change.Resource, obj.Namespace, obj.Name, obj.Uid, Kubelet, pod => Start(pod, fate));
            }
        }
        else if (options.SimulateDeploymentController && type == Deployment.Resource)
        {
            service.Mutate(change.Resource, obj.Namespace, obj.Name, obj.Uid, DeploymentController, RolloutComplete);
        }
    }

    /// <summary>A pod the API server has just admitted: phase Pending (or none) and no conditions yet.</summary>
    private static bool IsUnstarted(JsonObject pod) =>
        pod["status"]?["conditions"] is null && (string?)pod["status"]?["phase"] is null or "Pending";

    private bool Start(JsonObject pod, PodFate fate)
    {
        if (!IsUnstarted(pod))
        {
            return false;
        }

        var now = Now();
        pod["status"] = fate switch
        {
            PodFate.Unschedulable => new JsonObject
            {
                ["phase"] = "Pending",
                ["conditions"] = new JsonArray(Condition("PodScheduled", "False", now, "Unschedulable", "0/3 nodes are available: 3 Insufficient cpu.")),
            },
            PodFate.Failed => new JsonObject { ["phase"] = "Failed", ["reason"] = "Error", ["message"] = "simulated failure", ["startTime"] = now },
            _ => Running(pod, now),
        };
        return true;
    }

    private JsonObject Running(JsonObject pod, string now)
    {
        var ip = options.PodIp?.Invoke(pod.Namespace(), pod.Name()) ?? NextLoopbackIp();
        var containers = new JsonArray();
        foreach (var container in (pod["spec"]?["containers"] as JsonArray ?? []).OfType<JsonObject>())
        {
            containers.Add(new JsonObject
            {
                ["name"] = container.GetString("name"),
                ["image"] = container.GetString("image"),
                ["ready"] = true,
                ["started"] = true,
                ["restartCount"] = 0,
                ["state"] = new JsonObject { ["running"] = new JsonObject { ["startedAt"] = now } },
            });
        }

        return new JsonObject
        {
            ["phase"] = "Running",
            ["hostIP"] = "127.0.0.1",
            ["podIP"] = ip,
            ["podIPs"] = new JsonArray(new JsonObject { ["ip"] = ip }),
            ["startTime"] = now,
            ["conditions"] = new JsonArray(
                Condition("PodScheduled", "True", now),
                Condition("Initialized", "True", now),
                Condition("ContainersReady", "True", now),
                Condition("Ready", "True", now)),
            ["containerStatuses"] = containers,
        };
    }

    private bool RolloutComplete(JsonObject deployment)
    {
        var generation = Number(deployment.MetadataOrNull()?["generation"]) ?? 1;
        var replicas = (int)(Number(deployment["spec"]?["replicas"]) ?? 1);
        var status = deployment["status"] as JsonObject;
        if (Number(status?["observedGeneration"]) == generation && Number(status?["readyReplicas"]) == replicas)
        {
            return false;
        }

        var now = Now();
        deployment["status"] = new JsonObject
        {
            ["observedGeneration"] = generation,
            ["replicas"] = replicas,
            ["updatedReplicas"] = replicas,
            ["readyReplicas"] = replicas,
            ["availableReplicas"] = replicas,
            ["conditions"] = new JsonArray(new JsonObject
            {
                ["type"] = "Available",
                ["status"] = "True",
                ["reason"] = "MinimumReplicasAvailable",
                ["message"] = "Deployment has minimum availability.",
                ["lastUpdateTime"] = now,
                ["lastTransitionTime"] = now,
            }),
        };
        return true;
    }

    private bool MutatePod(string ns, string name, Func<JsonObject, bool> mutate)
    {
        var pods = service.Registry.Find("", "v1", Pod.Resource.Plural)!;
        JsonObject? pod;
        lock (service.Store.Gate)
        {
            pod = service.Store.Get(pods, ns, name);
        }

        return pod is not null && service.Mutate(pods, ns, name, pod.Uid(), Kubelet, mutate) is not null;
    }

    private string NextLoopbackIp()
    {
        lock (_ipLock)
        {
            var n = _nextIp++;
            return string.Create(CultureInfo.InvariantCulture, $"127.0.{n / 254}.{(n % 254) + 1}");
        }
    }

    private static long? Number(JsonNode? node) =>
        node is JsonValue value && long.TryParse(value.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) ? number : null;

    private static JsonObject Condition(string type, string status, string now, string? reason = null, string? message = null)
    {
        var condition = new JsonObject { ["type"] = type, ["status"] = status, ["lastTransitionTime"] = now };
        if (reason is not null)
        {
            condition["reason"] = reason;
            condition["message"] = message;
        }

        return condition;
    }

    private string Now() => KubeTime.Format(options.TimeProvider.GetUtcNow());
}
