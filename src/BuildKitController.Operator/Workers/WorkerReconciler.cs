using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BuildKitController.Core.Allocation;
using BuildKitController.Core.Api.V1Alpha1;
using BuildKitController.Core.Api.V1Alpha1.Defaulting;
using BuildKitController.Core.Buildkitd;
using BuildKitController.Core.Time;
using BuildKitController.Kubernetes.Client;
using BuildKitController.Kubernetes.Errors;
using BuildKitController.Kubernetes.Models;
using BuildKitController.Kubernetes.Models.CoreV1;
using BuildKitController.Kubernetes.Runtime.Controllers;
using BuildKitController.Kubernetes.Runtime.Informers;
using BuildKitController.Operator.Informers;

namespace BuildKitController.Operator.Workers;

/// <summary>
/// Drives one BuildKitWorker: finalizer, its Pod (server-side applied), and the phase machine
/// Provisioning → Idle → Allocated (or Failed). Level-triggered: every decision is made from the cached worker,
/// pod and pool, so a repeated reconcile changes nothing. An allocated worker is not failed by a missed readiness
/// probe (only by its pod failing or vanishing); an allocation that expires (live gateway connections get a grace
/// period) or stays idle past the pool's explicit <c>scaleDownDelay</c> deletes the worker
/// (<see cref="AllocationLifetime"/>); deleting the worker deletes the pod first, then lets the worker go.
/// </summary>
internal sealed class WorkerReconciler(
    KubernetesClient client,
    ObjectCache<BuildKitWorker> workers,
    ObjectCache<Pod> pods,
    ObjectCache<BuildKitPool> pools,
    TimeProvider time,
    PoolDefaultingOptions? defaults = null) : IReconciler<ObjectKey>
{
    public const string FieldManager = "buildkit-controller";

    /// <summary>Hash of the pod spec and <c>buildkitd.toml</c> a worker pod was started with.</summary>
    public const string SpecHashAnnotation = "buildkit.smrt-devops.net/spec-hash";

    // Status and pod writes whose watch events have not reached the caches yet: not repeated from a stale cache
    // (each would be a 409 or a no-op request, several per allocation).
    private readonly OwnWrites _statusWrites = new();
    private readonly OwnWrites _podWrites = new();

    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var worker = workers.Get(key);
        if (worker is null)
        {
            _statusWrites.Forget(key);
            _podWrites.Forget(key);
            return ReconcileResult.Done;
        }

        var api = client.For<BuildKitWorker>();
        if (worker.Metadata.DeletionTimestamp is not null)
        {
            return await FinalizeAsync(worker, cancellationToken);
        }

        if (worker.Metadata.Finalizers?.Contains(BuildKitWorker.Finalizer) != true)
        {
            var withFinalizer = worker with { Metadata = worker.Metadata with { Finalizers = [.. worker.Metadata.Finalizers ?? [], BuildKitWorker.Finalizer] } };
            await api.UpdateAsync(withFinalizer, cancellationToken);
            return ReconcileResult.Done;
        }

        var now = time.GetUtcNow();
        var poolNamespace = string.IsNullOrEmpty(worker.Spec.PoolRef.Namespace) ? key.Namespace : worker.Spec.PoolRef.Namespace;
        var pool = pools.Get(poolNamespace, worker.Spec.PoolRef.Name);
        DateTimeOffset? recheckAt = null;
        if (worker.Spec.Allocation is { } allocation)
        {
            var verdict = AllocationLifetime.Decide(allocation, worker.Status, IdleTimeout(pool), AllocationLifetime.DefaultExpiryGrace, now);
            if (verdict.End != AllocationEnd.None)
            {
                // An idle release must not race fresh activity: the resourceVersion precondition makes a gateway
                // report that arrived meanwhile win (409), and the next reconcile decides again.
                var preconditions = new Preconditions { Uid = worker.Metadata.Uid, ResourceVersion = verdict.End == AllocationEnd.Idle ? worker.Metadata.ResourceVersion : null };
                try
                {
                    await api.DeleteIfExistsAsync(key.Namespace, key.Name, new DeleteOptions { Preconditions = preconditions }, cancellationToken);
                }
                catch (KubernetesConflictException)
                {
                    // Changed meanwhile: its update event brings it back.
                }

                return ReconcileResult.Done;
            }

            recheckAt = verdict.RecheckAt;
        }

        if (pool is null)
        {
            await SetStatusAsync(worker, WorkerPhases.Failed, "parent pool not found", null, cancellationToken);
            return ReconcileResult.Done;
        }

        var allocated = worker.Spec.Allocation is not null;
        var pod = pods.Get(key.Namespace, key.Name);
        var defaulted = DefaultedPools.Get(pool, defaults);
        var desired = WorkerPodBuilder.Build(worker, defaulted, allocated);
        var specHash = SpecHash(desired, defaulted);
        desired.Metadata.Annotations = new Dictionary<string, string>(desired.Metadata.Annotations ?? [], StringComparer.Ordinal) { [SpecHashAnnotation] = specHash };
        if (pod is not null && !allocated && pod.Metadata.DeletionTimestamp is null
            && pod.Metadata.Annotations?.GetValueOrDefault(SpecHashAnnotation) is { } running && running != specHash)
        {
            // The pool changed (image, resources, buildkitd.toml, scheduling): an unallocated worker is replaced by a
            // fresh one. The preconditions make a concurrent allocation win over the recycling.
            try
            {
                await api.DeleteAsync(key.Namespace, key.Name, new DeleteOptions { Preconditions = new Preconditions { Uid = worker.Metadata.Uid, ResourceVersion = worker.Metadata.ResourceVersion } }, cancellationToken);
            }
            catch (KubernetesConflictException)
            {
                // Allocated (or otherwise changed) meanwhile: the next event decides again.
            }
            catch (KubernetesNotFoundException)
            {
                // Already gone.
            }

            return ReconcileResult.Done;
        }

        if ((pod is null || AllocationAnnotationsDiffer(pod, desired)) && !_podWrites.IsCacheBehind(key, pod?.Metadata.ResourceVersion))
        {
            var applied = await client.For<Pod>().ApplyAsync(desired, new ApplyOptions(FieldManager), cancellationToken);
            _podWrites.Wrote(key, pod?.Metadata.ResourceVersion, applied.Metadata.ResourceVersion);
        }

        var (phase, message, podIp) = Observe(worker, pod, allocated);
        await SetStatusAsync(worker, phase, message, podIp, cancellationToken);

        // Come back just after the allocation expires (or would turn idle), to end it.
        return recheckAt is { } at
            ? ReconcileResult.After(at - now + TimeSpan.FromSeconds(1))
            : ReconcileResult.Done;
    }

    /// <summary>
    /// The pool's idle timeout for allocations: its explicit <c>scaling.scaleDownDelay</c>, and only while its gateway
    /// runs (the gateway reports the activity it is measured by).
    /// </summary>
    private static TimeSpan? IdleTimeout(BuildKitPool? pool) =>
        pool is not null && pool.Spec.Gateway?.Enabled != false
        && GoDuration.TryParse(pool.Spec.Scaling?.ScaleDownDelay, out var delay) && delay > TimeSpan.Zero
            ? delay
            : null;

    /// <summary>The phase the pod implies. Readiness loss keeps an Idle/Allocated worker in its phase (hysteresis).</summary>
    private static (string Phase, string? Message, string? PodIp) Observe(BuildKitWorker worker, Pod? pod, bool allocated)
    {
        var current = worker.Status?.Phase ?? "";
        if (pod is null)
        {
            return current is WorkerPhases.Idle or WorkerPhases.Allocated
                ? (WorkerPhases.Failed, "pod disappeared", null)
                : (WorkerPhases.Provisioning, "creating pod", null);
        }

        var status = pod.Status;
        if (status?.Phase is "Failed" or "Succeeded")
        {
            return (WorkerPhases.Failed, $"pod {status.Phase}: {status.Reason ?? status.Message ?? "container exited"}", null);
        }

        var ready = status?.Phase == "Running" && status.Conditions?.Any(c => c.Type == "Ready" && c.Status == ConditionStatus.True) == true;
        if (ready && !string.IsNullOrEmpty(status!.PodIP))
        {
            return (allocated ? WorkerPhases.Allocated : WorkerPhases.Idle, null, status.PodIP);
        }

        if (current is WorkerPhases.Idle or WorkerPhases.Allocated)
        {
            return (allocated ? WorkerPhases.Allocated : current, "pod not ready (readiness probe failing)", worker.Status?.PodIP);
        }

        var unschedulable = status?.Conditions?.FirstOrDefault(c => c.Type == "PodScheduled" && c.Status == ConditionStatus.False);
        return (WorkerPhases.Provisioning, unschedulable is null ? "waiting for the pod to become ready" : $"pod unschedulable: {unschedulable.Message}", null);
    }

    private async Task SetStatusAsync(BuildKitWorker worker, string phase, string? message, string? podIp, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var old = worker.Status ?? new BuildKitWorkerStatus();
        var becameReady = podIp is not null && old.ReadyAt is null;
        var status = old with
        {
            Phase = phase,
            Message = message,
            PodName = worker.Metadata.Name,
            PodIP = podIp ?? old.PodIP,
            Endpoint = podIp is null ? old.Endpoint : $"tcp://{podIp}:{WorkerPodBuilder.Port}",
            CreatedAt = old.CreatedAt ?? worker.Metadata.CreationTimestamp ?? now,
            ReadyAt = becameReady ? now : old.ReadyAt,
            LastActivityAt = becameReady ? now : old.LastActivityAt,
        };
        var key = ObjectKey.Of(worker);
        if (status != old && !_statusWrites.IsCacheBehind(key, worker.Metadata.ResourceVersion))
        {
            var written = await client.For<BuildKitWorker>().UpdateStatusAsync(worker with { Status = status }, cancellationToken);
            _statusWrites.Wrote(key, worker.Metadata.ResourceVersion, written.Metadata.ResourceVersion);
        }
    }

    private async Task<ReconcileResult> FinalizeAsync(BuildKitWorker worker, CancellationToken cancellationToken)
    {
        var key = ObjectKey.Of(worker);
        if (pods.Get(key) is not null)
        {
            await client.For<Pod>().DeleteIfExistsAsync(key.Namespace, key.Name, new DeleteOptions { PropagationPolicy = PropagationPolicy.Background }, cancellationToken);
            return ReconcileResult.After(TimeSpan.FromSeconds(2));
        }

        if (worker.Metadata.Finalizers?.Contains(BuildKitWorker.Finalizer) == true)
        {
            var remaining = worker.Metadata.Finalizers.Where(f => f != BuildKitWorker.Finalizer).ToList();
            try
            {
                await client.For<BuildKitWorker>().UpdateAsync(worker with { Metadata = worker.Metadata with { Finalizers = remaining } }, cancellationToken);
            }
            catch (KubernetesNotFoundException)
            {
                // Already gone.
            }
        }

        return ReconcileResult.Done;
    }

    private static bool AllocationAnnotationsDiffer(Pod current, Pod desired)
    {
        var have = current.Metadata.Annotations ?? [];
        var want = desired.Metadata.Annotations ?? [];
        return have.GetValueOrDefault(Naming.Labels.KarpenterDoNotDisrupt) != want.GetValueOrDefault(Naming.Labels.KarpenterDoNotDisrupt);
    }

    private static string SpecHash(Pod desired, BuildKitPool pool)
    {
        var spec = JsonSerializer.SerializeToUtf8Bytes(desired.Spec, KubernetesModelsJsonContext.Default.PodSpec);
        var config = Encoding.UTF8.GetBytes(BuildkitdConfig.Render(pool.Spec));
        return Convert.ToHexStringLower(SHA256.HashData([.. spec, .. config]))[..16];
    }
}
