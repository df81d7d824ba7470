using BuildKitController.Core.Api.V1Alpha1;
using BuildKitController.Kubernetes.Client;
using BuildKitController.Kubernetes.Configuration;
using BuildKitController.Kubernetes.Models;
using BuildKitController.Kubernetes.Models.AppsV1;
using BuildKitController.Kubernetes.Models.CoreV1;
using BuildKitController.Kubernetes.Models.NetworkingV1;
using BuildKitController.Kubernetes.Models.PolicyV1;
using BuildKitController.Kubernetes.Runtime.Informers;
using BuildKitController.Operator.Informers;
using BuildKitController.Testing.FakeKubernetes;

namespace BuildKitController.Bench;

/// <summary>One informer cache: objects, the managed memory it retains, and the <c>metadata.managedFields</c> JSON kept in it (none unless the informer keeps them).</summary>
internal sealed record CacheProbeLine(string Kind, int Objects, long RetainedBytes, long ManagedFieldsBytes);

/// <summary>
/// Diagnostic (<c>--probe-caches</c>): builds, in this process, the informer caches the controller holds — same client,
/// models, selectors and transforms — one kind at a time, and measures the managed memory each retains
/// (<see cref="GC.GetTotalMemory(bool)"/> after a full collection, before and after the cache syncs). Explains the
/// controller's RSS without a profiler.
/// </summary>
internal static class CacheProbe
{
    private const string Managed = "app.kubernetes.io/managed-by=buildkit-controller";
    private const string WorkerPods = "buildkit.smrt-devops.net/purpose=worker";

    public static async Task<IReadOnlyList<CacheProbeLine>> MeasureAsync(FakeApiServer server, CancellationToken cancellationToken)
    {
        using var client = new KubernetesClient(KubeconfigLoader.LoadFromString(server.CreateKubeconfig()),
            new KubernetesClientOptions { QueriesPerSecond = 0, UserAgent = "buildkit-bench-probe" });
        var caches = new List<object>();
        var all = new InformerOptions();
        var owned = new InformerOptions { LabelSelector = Managed };
        IReadOnlyList<CacheProbeLine> lines =
        [
            await MeasureAsync<BuildKitPool>(client, all, caches, cancellationToken),
            await MeasureAsync<BuildKitWorker>(client, all, caches, cancellationToken),
            await MeasureAsync<Pod>(client, new InformerOptions { LabelSelector = WorkerPods }, caches, cancellationToken, CacheTransforms.WorkerPod),
            await MeasureAsync<Secret>(client, owned, caches, cancellationToken),
            await MeasureAsync<ConfigMap>(client, owned, caches, cancellationToken, CacheTransforms.MetadataOnly),
            await MeasureAsync<Deployment>(client, owned, caches, cancellationToken, CacheTransforms.GatewayDeployment),
            await MeasureAsync<Service>(client, owned, caches, cancellationToken),
            await MeasureAsync<NetworkPolicy>(client, owned, caches, cancellationToken, CacheTransforms.MetadataOnly),
            await MeasureAsync<PodDisruptionBudget>(client, owned, caches, cancellationToken, CacheTransforms.MetadataOnly),
            await MeasureAsync<ServiceAccount>(client, owned, caches, cancellationToken, CacheTransforms.MetadataOnly),
        ];
        GC.KeepAlive(caches);
        return lines;
    }

    private static async Task<CacheProbeLine> MeasureAsync<T>(KubernetesClient client, InformerOptions options, List<object> caches, CancellationToken cancellationToken,
        Func<T, T>? transform = null)
        where T : class, IKubernetesResource<T>
    {
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var informer = new Informer<T>(client, options, transform: transform);
        using (var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            var running = informer.RunAsync(stop.Token);
            await informer.WaitForSyncAsync(cancellationToken);
            await stop.CancelAsync();
            try
            {
                await running;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // Stopped after the sync: only the cache is kept.
            }
        }

        var cache = informer.Cache;
        caches.Add(cache);
        var retained = GC.GetTotalMemory(forceFullCollection: true) - before;
        var objects = cache.List();
        var managedFields = objects.Sum(o => o.Metadata.ExtensionData?.TryGetValue("managedFields", out var fields) == true ? (long)fields.GetRawText().Length : 0);
        return new CacheProbeLine(T.Resource.Kind, objects.Count, retained, managedFields);
    }
}
