using System.Text.Json.Nodes;
using BuildKitController.Testing.FakeKubernetes.Registry;

namespace BuildKitController.Testing.FakeKubernetes;

/// <summary>Settings of a <see cref="FakeApiServer"/>.</summary>
public sealed class FakeApiServerOptions
{
    /// <summary>Clock for creationTimestamp, deletionTimestamp, managedFields times, watch timeouts, bookmarks and delays.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>How many change events are retained for watch replay and consistent paging (older versions get 410).</summary>
    public int HistoryLimit { get; init; } = 10_000;

    /// <summary>Period of BOOKMARK events to watches that allow them; <see cref="Timeout.InfiniteTimeSpan"/> sends them only on demand.</summary>
    public TimeSpan BookmarkInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Server-side timeout of watches that do not send <c>timeoutSeconds</c> (null: never).</summary>
    public TimeSpan? DefaultWatchTimeout { get; init; }

    /// <summary>Reject writes into namespaces that do not exist (404) or are terminating (403), like NamespaceLifecycle admission.</summary>
    public bool EnforceNamespaceExistence { get; init; } = true;

    /// <summary>Namespaces that exist from the start (a real cluster has these).</summary>
    public IReadOnlyList<string> InitialNamespaces { get; init; } = ["default", "kube-system", "kube-public", "kube-node-lease"];

    /// <summary>Run the background owner-reference garbage collector and namespace controller.</summary>
    public bool GarbageCollection { get; init; } = true;

    /// <summary>Request bodies larger than this get 413 (the real default is 3 MiB).</summary>
    public long MaxRequestBodyBytes { get; init; } = 3 * 1024 * 1024;

    /// <summary>What <c>/version</c> reports.</summary>
    public string GitVersion { get; init; } = "v1.32.0";

    /// <summary>Simulate a kubelet: new pods become Running and Ready (see <see cref="PodFate"/> and <see cref="PodIp"/>).</summary>
    public bool SimulateKubelet { get; init; }

    /// <summary>Simulate the deployment controller: Deployments report every replica ready for their generation.</summary>
    public bool SimulateDeploymentController { get; init; }

    /// <summary>Decides per pod (namespace, name) what the simulated kubelet does; default <see cref="FakeKubernetes.PodFate.Running"/>.</summary>
    public Func<string, string, PodFate>? PodFate { get; init; }

    /// <summary>Chooses the pod IP of a running pod (namespace, name); default: distinct loopback addresses from 127.0.0.3 up.</summary>
    public Func<string, string, string>? PodIp { get; init; }

    /// <summary>Prune, default and validate custom resources against their CRD schema, as the real server does (on by default).</summary>
    public bool ValidateCustomResources { get; init; } = true;

    /// <summary>Makes a structural-schema validator for a CRD version's openAPIV3Schema (null: no validation).</summary>
    internal Func<JsonObject, ICustomResourceSchemaValidator?>? SchemaValidatorFactory { get; init; }

    internal Func<JsonObject, ICustomResourceSchemaValidator?>? EffectiveSchemaValidatorFactory =>
        SchemaValidatorFactory ?? (ValidateCustomResources ? StructuralSchemaValidator.Create : null);
}
