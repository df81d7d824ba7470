using System.Text.Json;
using BuildKitController.Core.Api.V1Alpha1;
using BuildKitController.Core.Api.V1Alpha1.Defaulting;
using BuildKitController.Core.Api.V1Alpha1.Validation;
using BuildKitController.Core.Scaling;
using BuildKitController.Core.Scheduling;
using BuildKitController.Core.Serialization;
using BuildKitController.Core.Time;
using BuildKitController.Kubernetes.Client;
using BuildKitController.Kubernetes.Errors;
using BuildKitController.Kubernetes.Models;
using BuildKitController.Kubernetes.Models.CoreV1;
using BuildKitController.Kubernetes.Runtime.Controllers;
using BuildKitController.Kubernetes.Runtime.Events;
using BuildKitController.Kubernetes.Runtime.Informers;
using BuildKitController.Operator.Informers;
using BuildKitController.Operator.Metrics;
using BuildKitController.Operator.Naming;
using BuildKitController.Operator.Pki;

namespace BuildKitController.Operator.Pools;

/// <summary>
/// Drives one BuildKitPool to its desired state, level-triggered from the caches: finalizer; defaults and
/// validation; root and pool certificates; ConfigMap; gateway Deployment, Service, PodDisruptionBudget;
/// NetworkPolicies; optional Ingress (allow-listed); the warm pool (<see cref="PoolScaler"/>); status. Every owned
/// object is server-side applied under one field manager with an owner reference. Deleting the pool removes its
/// workers and owned objects explicitly, so cleanup does not depend on a garbage collector.
/// </summary>
internal sealed class PoolReconciler(
    KubernetesClient client,
    PoolCaches caches,
    RootCertificateAuthorityProvider rootCa,
    PoolControllerOptions options,
    TimeProvider time,
    ILogger logger,
    EventRecorder? events = null,
    OperatorMetrics? metrics = null) : IReconciler<ObjectKey>
{
    private readonly OwnedObjectApplier _applier = new(client);
    private readonly ScalingExpectations _expectations = new(time, options.ExpectationTimeout);
    private readonly PoolCertificateMemo _certificates = new();

    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var pool = caches.Pools.Get(key);
        if (pool is null)
        {
            _expectations.Forget(key);
            _certificates.Forget(key);
            return ReconcileResult.Done;
        }

        if (pool.Metadata.DeletionTimestamp is not null)
        {
            return await FinalizeAsync(pool, cancellationToken);
        }

        if (pool.Metadata.Finalizers?.Contains(PoolFinalizer.Name) != true)
        {
            var withFinalizer = pool with { Metadata = pool.Metadata with { Finalizers = [.. pool.Metadata.Finalizers ?? [], PoolFinalizer.Name] } };
            await client.For<BuildKitPool>().UpdateAsync(withFinalizer, cancellationToken);
            return ReconcileResult.Done;
        }

        var now = time.GetUtcNow();
        var errors = BuildKitPoolValidator.Validate(pool, options.Defaults);
        if (errors.Count > 0)
        {
            var message = string.Join("; ", errors.Select(e => $"{e.Path}: {e.Message}"));
            PoolLog.PoolInvalid(logger, key.Namespace, key.Name, message);
            await WriteFailureAsync(pool, PoolConditions.InvalidSpec, message, cancellationToken);
            return ReconcileResult.Done;
        }

        var desired = DefaultedPools.Get(pool, options.Defaults);
        var root = await rootCa.GetAsync(cancellationToken);
        if (root.Authority is null)
        {
            await WriteFailureAsync(pool, PoolConditions.CertificateAuthorityInvalid, root.Problem!, cancellationToken);
            return ReconcileResult.Done;
        }

        var name = key.Name;
        var service = caches.Services.Get(key.Namespace, PoolObjectNames.Service(name));
        var certificates = _certificates.Plan(desired, root.Authority, Secrets(key), ExternalNames(desired, service), options, now);
        if (certificates.Problem is not null)
        {
            PoolLog.PoolCaInvalid(logger, key.Namespace, name, certificates.Problem);
            await WriteFailureAsync(pool, PoolConditions.CertificateAuthorityInvalid, certificates.Problem, cancellationToken);
            return ReconcileResult.Done;
        }

        foreach (var secret in certificates.Changed)
        {
            await _applier.ApplyAsync(secret, caches.Secrets.Get(key.Namespace, secret.Metadata.Name!), cancellationToken);
        }

        foreach (var issued in certificates.Issued)
        {
            PoolLog.CertificateIssued(logger, key.Namespace, name, issued.Kind, issued.SerialNumber, issued.NotAfter);
            events?.Normal(pool, "CertificateIssued", $"Issued the {issued.Kind} certificate");
            metrics?.RecordCertificateIssued(issued.Kind.Replace('-', '_'));
        }

        if (certificates.ServerCertificate is { } serverCertificate)
        {
            metrics?.SetCertificateExpiry(key.Namespace, name, "gateway_server", serverCertificate.NotAfter);
        }

        await _applier.ApplyAsync(PoolConfigMapBuilder.Build(desired), caches.ConfigMaps.Get(key.Namespace, PoolObjectNames.Config(name)), cancellationToken);

        var gatewayEnabled = desired.Spec.Gateway?.Enabled != false;
        if (gatewayEnabled)
        {
            await _applier.ApplyAsync(GatewayDeploymentBuilder.ServiceAccount(desired), caches.ServiceAccounts.Get(key.Namespace, PoolObjectNames.GatewayServiceAccount(name)), cancellationToken);
            await _applier.ApplyAsync(GatewayRbacBuilder.Role(desired), caches.Roles.Get(key.Namespace, PoolObjectNames.GatewayRole(name)), cancellationToken);
            await _applier.ApplyAsync(GatewayRbacBuilder.RoleBinding(desired), caches.RoleBindings.Get(key.Namespace, PoolObjectNames.GatewayRole(name)), cancellationToken);
            await _applier.ApplyAsync(GatewayDeploymentBuilder.Build(desired, options, certificates.Fingerprint), caches.Deployments.Get(key.Namespace, PoolObjectNames.GatewayDeployment(name)), cancellationToken);
            await _applier.ApplyAsync(GatewayServiceBuilder.Build(desired), service, cancellationToken);
            await _applier.ApplyAsync(PoolPolicyBuilder.GatewayDisruptionBudget(desired), caches.DisruptionBudgets.Get(key.Namespace, PoolObjectNames.GatewayDisruptionBudget(name)), cancellationToken);
        }
        else
        {
            await DeleteOwnedAsync(pool, caches.Deployments.Get(key.Namespace, PoolObjectNames.GatewayDeployment(name)), cancellationToken);
            await DeleteOwnedAsync(pool, service, cancellationToken);
            await DeleteOwnedAsync(pool, caches.DisruptionBudgets.Get(key.Namespace, PoolObjectNames.GatewayDisruptionBudget(name)), cancellationToken);
            await DeleteOwnedAsync(pool, caches.ServiceAccounts.Get(key.Namespace, PoolObjectNames.GatewayServiceAccount(name)), cancellationToken);
            await DeleteOwnedAsync(pool, caches.RoleBindings.Get(key.Namespace, PoolObjectNames.GatewayRole(name)), cancellationToken);
            await DeleteOwnedAsync(pool, caches.Roles.Get(key.Namespace, PoolObjectNames.GatewayRole(name)), cancellationToken);
        }

        await _applier.ApplyAsync(PoolPolicyBuilder.WorkerIngress(desired), caches.NetworkPolicies.Get(key.Namespace, PoolObjectNames.WorkerNetworkPolicy(name)), cancellationToken);
        var gatewayPolicy = caches.NetworkPolicies.Get(key.Namespace, PoolObjectNames.GatewayNetworkPolicy(name));
        if (PoolPolicyBuilder.GatewayIngress(desired) is { } policy && gatewayEnabled)
        {
            await _applier.ApplyAsync(policy, gatewayPolicy, cancellationToken);
        }
        else
        {
            await DeleteOwnedAsync(pool, gatewayPolicy, cancellationToken);
        }

        var exposure = await ReconcileExposureAsync(pool, desired, gatewayEnabled, cancellationToken);

        var (counts, recheck, scaled) = await ScaleAsync(pool, desired, now, cancellationToken);

        await WriteStatusAsync(pool, desired, certificates, counts, exposure, scaled ? now : null, cancellationToken);

        var after = options.Resync;
        if (certificates.NextRenewal is { } renewal && renewal - now < after)
        {
            after = renewal - now;
        }

        if (recheck is { } r && r < after)
        {
            after = r;
        }

        return ReconcileResult.After(after < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : after);
    }

    private PoolSecrets Secrets(ObjectKey key) => new(
        caches.Secrets.Get(key.Namespace, PoolObjectNames.Authorities(key.Name)),
        caches.Secrets.Get(key.Namespace, PoolObjectNames.GatewayTls(key.Name)),
        caches.Secrets.Get(key.Namespace, PoolObjectNames.GatewayClientCertificates(key.Name)),
        caches.Secrets.Get(key.Namespace, PoolObjectNames.WorkerTls(key.Name)));

    /// <summary>Names clients may use for the gateway beyond the in-cluster ones: external, ingress, Gateway API and load-balancer addresses.</summary>
    private static List<string> ExternalNames(BuildKitPool pool, Service? service)
    {
        var names = new List<string>();
        var spec = pool.Spec;
        if (spec.Networking?.External is { Enabled: true, Hostname: { Length: > 0 } external })
        {
            names.Add(external);
        }

        if (spec.Gateway?.Ingress is { Enabled: true, Hostname: { Length: > 0 } ingress })
        {
            names.Add(ingress);
        }

        if (spec.Gateway?.GatewayApi is { Enabled: true, Hostname: { Length: > 0 } route })
        {
            names.Add(route);
        }

        foreach (var lb in service?.Status?.LoadBalancer?.Ingress ?? [])
        {
            if (!string.IsNullOrEmpty(lb.Ip))
            {
                names.Add(lb.Ip);
            }

            if (!string.IsNullOrEmpty(lb.Hostname))
            {
                names.Add(lb.Hostname);
            }
        }

        return names;
    }

    /// <summary>Ingress when requested and allowed (else removed if we own it); the ExternalAccess condition, or null when nothing is requested.</summary>
    private async Task<Condition?> ReconcileExposureAsync(BuildKitPool pool, BuildKitPool desired, bool gatewayEnabled, CancellationToken cancellationToken)
    {
        var ns = pool.Metadata.Namespace!;
        var ingressWanted = gatewayEnabled && desired.Spec.Gateway?.Ingress?.Enabled == true;
        var ingressAllowed = options.AllowedIngressTypes.Contains(IngressTypes.Ingress) && caches.Ingresses is not null;
        var current = caches.Ingresses?.Get(ns, PoolObjectNames.Ingress(pool.Metadata.Name!));
        if (ingressWanted && ingressAllowed)
        {
            await _applier.ApplyAsync(PoolIngressBuilder.Build(desired), current, cancellationToken);
        }
        else
        {
            await DeleteOwnedAsync(pool, current, cancellationToken);
        }

        var gatewayApiWanted = gatewayEnabled && desired.Spec.Gateway?.GatewayApi?.Enabled == true;
        if (!ingressWanted && !gatewayApiWanted)
        {
            return null;
        }

        var refused = new List<string>();
        if (ingressWanted && !ingressAllowed)
        {
            refused.Add("ingress");
        }

        if (gatewayApiWanted && !options.AllowedIngressTypes.Contains(IngressTypes.GatewayApi))
        {
            refused.Add("gatewayapi");
        }

        return refused.Count > 0
            ? new Condition { Type = PoolConditions.ExternalAccess, Status = ConditionStatus.False, Reason = PoolConditions.NotAllowed, Message = $"not allowed by the controller (ALLOWED_INGRESS_TYPES): {string.Join(", ", refused)}" }
            : new Condition { Type = PoolConditions.ExternalAccess, Status = ConditionStatus.True, Reason = PoolConditions.Applied, Message = ingressWanted ? $"Ingress {PoolObjectNames.Ingress(pool.Metadata.Name!)}" : "requested" };
    }

    private async Task<(WorkerCounts Counts, TimeSpan? Recheck, bool Scaled)> ScaleAsync(BuildKitPool pool, BuildKitPool desired, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var key = ObjectKey.Of(pool);
        var workers = caches.Workers.ByIndex(PoolCaches.WorkersByPool, $"{key.Namespace}/{key.Name}");
        var snapshots = workers.Select(Snapshot).ToList();
        var policy = Policy(desired, now, out var windowChange);
        var plan = PoolScaler.Plan(policy, snapshots, now);
        var recheck = Min(plan.RecheckAfter, windowChange);
        if (!_expectations.Satisfied(key, n => caches.Workers.Get(key.Namespace, n)))
        {
            // Earlier creations or deletions are not visible yet; their watch events requeue the pool.
            return (plan.Counts, Min(recheck, options.ExpectationTimeout), false);
        }

        var scaled = false;
        foreach (var removal in plan.ToDelete)
        {
            var worker = workers.First(w => w.Metadata.Name == removal.Name);
            PoolLog.WorkerDeleted(logger, key.Namespace, key.Name, removal.Name, removal.Reason);
            try
            {
                // The preconditions make a concurrent allocation (which changes the resourceVersion) win over the deletion.
                await client.For<BuildKitWorker>().DeleteAsync(key.Namespace, removal.Name, new DeleteOptions
                {
                    Preconditions = new Preconditions { Uid = worker.Metadata.Uid, ResourceVersion = worker.Metadata.ResourceVersion },
                }, cancellationToken);
                _expectations.ExpectDeleted(key, removal.Name);
                events?.Normal(pool, removal.Reason, $"Deleted worker {removal.Name}");
                metrics?.RecordScaleOperation(key.Name, "scale_down");
                scaled = true;
            }
            catch (KubernetesNotFoundException)
            {
                // Already gone.
            }
            catch (KubernetesConflictException)
            {
                // Changed since we looked (for example just allocated): decide again on the next event.
            }
        }

        // Slot names (lowest free first): a concurrent creator taking the same slot makes ours fail with
        // AlreadyExists, so max holds whoever creates workers.
        foreach (var slot in WorkerSlots.Free(key.Name, policy.Max, workers.Select(w => w.Metadata.Name!)).Take(plan.ToCreate))
        {
            try
            {
                var created = await client.For<BuildKitWorker>().CreateAsync(NewWorker(pool, slot), cancellationToken);
                _expectations.ExpectCreated(key, created.Metadata.Name!);
                PoolLog.WorkerCreated(logger, key.Namespace, key.Name, created.Metadata.Name!);
                metrics?.RecordScaleOperation(key.Name, "scale_up");
                scaled = true;
            }
            catch (KubernetesAlreadyExistsException)
            {
                // Taken meanwhile (by the allocation API or another replica); the watch event brings us back.
                _expectations.ExpectCreated(key, slot);
            }
        }

        if (plan.ToCreate > 0)
        {
            events?.Normal(pool, "ScaledUp", $"Created {plan.ToCreate} worker(s) to keep {policy.Min} warm");
        }

        return (plan.Counts, recheck, scaled);
    }

    private ScalingPolicy Policy(BuildKitPool pool, DateTimeOffset now, out TimeSpan? windowChange)
    {
        var scaling = pool.Spec.Scaling ?? new ScalingConfig();
        var delay = GoDuration.TryParse(scaling.ScaleDownDelay, out var d) && d >= TimeSpan.Zero ? d : GoDuration.Parse(PoolDefaults.ScaleDownDelay);
        var scaledDown = false;
        windowChange = null;
        if (CronSchedule.TryParse(scaling.ScaleDownSchedule, out var schedule, out _))
        {
            var zone = ResolveZone(schedule.TimeZoneId);
            scaledDown = ScaleDownWindow.IsActive(schedule, TimeSpan.FromMinutes(1), now, zone);
            windowChange = ScaleDownWindow.NextChange(schedule, TimeSpan.FromMinutes(1), now, zone);
        }

        return new ScalingPolicy(scaling.Min ?? PoolDefaults.MinWorkers, scaling.Max ?? PoolDefaults.MaxWorkers, delay, options.ProvisioningPatience, scaledDown);
    }

    private static TimeZoneInfo ResolveZone(string? id)
    {
        if (string.IsNullOrEmpty(id))
        {
            return TimeZoneInfo.Utc;
        }

        return TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : TimeZoneInfo.Utc;
    }

    private static WorkerSnapshot Snapshot(BuildKitWorker worker) => new(
        worker.Metadata.Name!,
        worker.Status?.Phase ?? "",
        worker.Spec.Allocation is not null,
        worker.Metadata.DeletionTimestamp is not null,
        worker.Metadata.CreationTimestamp ?? worker.Status?.CreatedAt ?? DateTimeOffset.MinValue,
        worker.Status?.LastActivityAt ?? worker.Status?.ReadyAt,
        worker.Status?.ActiveConnections ?? 0);

    /// <summary>A new unallocated worker of <paramref name="pool"/> named <paramref name="name"/> (a free slot).</summary>
    public static BuildKitWorker NewWorker(BuildKitPool pool, string name) => new()
    {
        Metadata = new ObjectMeta
        {
            Name = name,
            Namespace = pool.Metadata.Namespace,
            Labels = new() { [Labels.Pool] = pool.Metadata.Name!, [Labels.Worker] = "true" },
            OwnerReferences = [PoolOwnership.OwnerReference(pool)],
        },
        Spec = new BuildKitWorkerSpec { PoolRef = new PoolReference { Name = pool.Metadata.Name! } },
    };

    private async Task WriteStatusAsync(
        BuildKitPool pool, BuildKitPool desired, PoolCertificatePlan certificates, WorkerCounts counts, Condition? exposure, DateTimeOffset? scaledAt, CancellationToken cancellationToken)
    {
        var ns = pool.Metadata.Namespace!;
        var name = pool.Metadata.Name!;
        var now = time.GetUtcNow();
        var old = pool.Status ?? new BuildKitPoolStatus();
        var gatewayEnabled = desired.Spec.Gateway?.Enabled != false;
        var deployment = gatewayEnabled ? caches.Deployments.Get(ns, PoolObjectNames.GatewayDeployment(name)) : null;
        var service = gatewayEnabled ? caches.Services.Get(ns, PoolObjectNames.Service(name)) : null;
        var readyReplicas = deployment?.Status?.ReadyReplicas ?? 0;
        var gatewayReady = gatewayEnabled && readyReplicas > 0;
        var workers = caches.Workers.ByIndex(PoolCaches.WorkersByPool, $"{ns}/{name}");

        var ready = !gatewayEnabled
            ? new Condition { Type = PoolConditions.Ready, Status = ConditionStatus.True, Reason = PoolConditions.GatewayDisabled, Message = "the gateway is disabled; workers are reachable only in-cluster" }
            : gatewayReady
                ? new Condition { Type = PoolConditions.Ready, Status = ConditionStatus.True, Reason = PoolConditions.GatewayReady, Message = $"{readyReplicas} gateway replica(s) ready" }
                : new Condition { Type = PoolConditions.Ready, Status = ConditionStatus.False, Reason = PoolConditions.GatewayNotReady, Message = "waiting for a gateway replica to become ready" };
        var unsupported = UnsupportedFields.Find(pool.Spec);
        var conditions = Conditions.Set(old.Conditions, ready with { ObservedGeneration = pool.Metadata.Generation }, now);
        conditions = Conditions.Set(conditions, unsupported.Count == 0
            ? new Condition { Type = PoolConditions.UnsupportedFields, Status = ConditionStatus.False, Reason = PoolConditions.AllSupported, Message = "every field set is implemented", ObservedGeneration = pool.Metadata.Generation }
            : new Condition { Type = PoolConditions.UnsupportedFields, Status = ConditionStatus.True, Reason = PoolConditions.FieldsIgnored, Message = "set but not supported yet: " + string.Join("; ", unsupported), ObservedGeneration = pool.Metadata.Generation }, now);
        conditions = exposure is null
            ? Conditions.Remove(conditions, PoolConditions.ExternalAccess)
            : Conditions.Set(conditions, exposure with { ObservedGeneration = pool.Metadata.Generation }, now);

        var server = certificates.ServerCertificate;
        var status = old with
        {
            Phase = gatewayEnabled && !gatewayReady ? PoolPhases.Pending : counts.Total == 0 ? PoolPhases.ScaledToZero : PoolPhases.Running,
            Endpoint = Endpoint(desired, service),
            Conditions = conditions,
            Gateway = new GatewayStatus
            {
                Ready = gatewayReady,
                Replicas = deployment?.Status?.Replicas ?? 0,
                ReadyReplicas = readyReplicas,
                DeploymentName = gatewayEnabled ? PoolObjectNames.GatewayDeployment(name) : null,
                ServiceName = gatewayEnabled ? PoolObjectNames.Service(name) : null,
            },
            Workers = new WorkersStatus
            {
                Total = counts.Total,
                Ready = counts.Ready,
                Idle = counts.Idle,
                Allocated = counts.Allocated,
                Provisioning = counts.Provisioning,
                Failed = counts.Failed,
                Desired = counts.Desired,
                Needed = counts.Needed,
            },
            ServerCert = server is null ? old.ServerCert : new CertificateInfo { NotBefore = server.NotBefore, NotAfter = server.NotAfter, RenewalTime = certificates.NextRenewal },
            TlsSecretName = PoolObjectNames.GatewayTls(name),
            WorkerTlsSecretName = PoolObjectNames.WorkerTls(name),
            LastScaleTime = scaledAt ?? old.LastScaleTime,
            LastActivityTime = Latest(old.LastActivityTime, workers.Select(w => w.Status?.LastActivityAt)),
            Connections = new ConnectionsStatus
            {
                Active = workers.Sum(w => w.Status?.ActiveConnections ?? 0),
                Total = old.Connections?.Total ?? 0,
                LastConnectionTime = old.Connections?.LastConnectionTime,
            },
        };
        await UpdateStatusIfChangedAsync(pool, status, cancellationToken);
    }

    private async Task WriteFailureAsync(BuildKitPool pool, string reason, string message, CancellationToken cancellationToken)
    {
        var old = pool.Status ?? new BuildKitPoolStatus();
        var previous = Conditions.Find(old.Conditions, PoolConditions.Ready);
        if (previous is null || previous.Reason != reason || previous.Message != message)
        {
            events?.Warning(pool, reason, message);
        }

        var condition = new Condition { Type = PoolConditions.Ready, Status = ConditionStatus.False, Reason = reason, Message = message, ObservedGeneration = pool.Metadata.Generation };
        var status = old with { Phase = PoolPhases.Failed, Conditions = Conditions.Set(old.Conditions, condition, time.GetUtcNow()) };
        await UpdateStatusIfChangedAsync(pool, status, cancellationToken);
    }

    private async Task UpdateStatusIfChangedAsync(BuildKitPool pool, BuildKitPoolStatus status, CancellationToken cancellationToken)
    {
        var before = pool.Status is null ? "" : JsonSerializer.Serialize(pool.Status, CoreJsonContext.Default.BuildKitPoolStatus);
        var after = JsonSerializer.Serialize(status, CoreJsonContext.Default.BuildKitPoolStatus);
        if (before != after)
        {
            // Server-side apply of the status: no resourceVersion, so a cache that lags our own last write never
            // produces a conflict, and status fields other writers own are left alone.
            var patch = new BuildKitPool { Metadata = new ObjectMeta { Name = pool.Metadata.Name, Namespace = pool.Metadata.Namespace }, Status = status };
            await client.For<BuildKitPool>().ApplyStatusAsync(patch, new ApplyOptions(OwnedObjectApplier.FieldManager), cancellationToken);
        }
    }

    /// <summary><c>tcp://host:port</c>: the external hostname, else the load-balancer address, else the in-cluster Service name.</summary>
    private static string Endpoint(BuildKitPool pool, Service? service)
    {
        var spec = pool.Spec;
        var port = GatewayServiceBuilder.Port(spec);
        var host = spec.Networking?.External is { Enabled: true, Hostname: { Length: > 0 } external } ? external
            : spec.Gateway?.GatewayApi is { Enabled: true, Hostname: { Length: > 0 } route } ? route
            : spec.Gateway?.Ingress is { Enabled: true, Hostname: { Length: > 0 } ingress } ? ingress
            : service?.Status?.LoadBalancer?.Ingress?.FirstOrDefault() is { } lb && (lb.Hostname ?? lb.Ip) is { Length: > 0 } address ? address
            : $"{PoolObjectNames.Service(pool.Metadata.Name!)}.{pool.Metadata.Namespace}.svc";
        return host.Contains(':', StringComparison.Ordinal) ? $"tcp://[{host}]:{port}" : $"tcp://{host}:{port}";
    }

    private async Task<ReconcileResult> FinalizeAsync(BuildKitPool pool, CancellationToken cancellationToken)
    {
        var key = ObjectKey.Of(pool);
        if (pool.Metadata.Finalizers?.Contains(PoolFinalizer.Name) != true)
        {
            return ReconcileResult.Done;
        }

        // Workers first (their own finalizer removes their pods), including API-created ones without an owner reference.
        var workers = caches.Workers.ByIndex(PoolCaches.WorkersByPool, $"{key.Namespace}/{key.Name}");
        foreach (var worker in workers.Where(w => w.Metadata.DeletionTimestamp is null))
        {
            await client.For<BuildKitWorker>().DeleteIfExistsAsync(key.Namespace, worker.Metadata.Name!, null, cancellationToken);
        }

        if (workers.Count > 0)
        {
            // Each worker's deletion event requeues the pool.
            return ReconcileResult.After(TimeSpan.FromSeconds(30));
        }

        var name = key.Name;
        await DeleteOwnedAsync(pool, caches.Ingresses?.Get(key.Namespace, PoolObjectNames.Ingress(name)), cancellationToken);
        await DeleteOwnedAsync(pool, caches.Deployments.Get(key.Namespace, PoolObjectNames.GatewayDeployment(name)), cancellationToken);
        await DeleteOwnedAsync(pool, caches.Services.Get(key.Namespace, PoolObjectNames.Service(name)), cancellationToken);
        await DeleteOwnedAsync(pool, caches.DisruptionBudgets.Get(key.Namespace, PoolObjectNames.GatewayDisruptionBudget(name)), cancellationToken);
        await DeleteOwnedAsync(pool, caches.NetworkPolicies.Get(key.Namespace, PoolObjectNames.WorkerNetworkPolicy(name)), cancellationToken);
        await DeleteOwnedAsync(pool, caches.NetworkPolicies.Get(key.Namespace, PoolObjectNames.GatewayNetworkPolicy(name)), cancellationToken);
        await DeleteOwnedAsync(pool, caches.ConfigMaps.Get(key.Namespace, PoolObjectNames.Config(name)), cancellationToken);
        await DeleteOwnedAsync(pool, caches.ServiceAccounts.Get(key.Namespace, PoolObjectNames.GatewayServiceAccount(name)), cancellationToken);
        await DeleteOwnedAsync(pool, caches.RoleBindings.Get(key.Namespace, PoolObjectNames.GatewayRole(name)), cancellationToken);
        await DeleteOwnedAsync(pool, caches.Roles.Get(key.Namespace, PoolObjectNames.GatewayRole(name)), cancellationToken);
        foreach (var secretName in new[] { PoolObjectNames.GatewayTls(name), PoolObjectNames.GatewayClientCertificates(name), PoolObjectNames.WorkerTls(name), PoolObjectNames.Authorities(name) })
        {
            await DeleteOwnedAsync(pool, caches.Secrets.Get(key.Namespace, secretName), cancellationToken);
        }

        _applier.Forget(key.Namespace, [
            PoolObjectNames.Ingress(name), PoolObjectNames.GatewayDeployment(name), PoolObjectNames.Service(name), PoolObjectNames.GatewayDisruptionBudget(name),
            PoolObjectNames.WorkerNetworkPolicy(name), PoolObjectNames.GatewayNetworkPolicy(name), PoolObjectNames.Config(name), PoolObjectNames.GatewayTls(name),
            PoolObjectNames.GatewayClientCertificates(name), PoolObjectNames.WorkerTls(name), PoolObjectNames.Authorities(name), PoolObjectNames.GatewayServiceAccount(name)]);
        _expectations.Forget(key);
        _certificates.Forget(key);
        DefaultedPools.Forget(pool.Metadata.Uid);
        metrics?.RemoveCertificateExpiries(key.Namespace, name);

        var remaining = pool.Metadata.Finalizers.Where(f => f != PoolFinalizer.Name).ToList();
        try
        {
            await client.For<BuildKitPool>().UpdateAsync(pool with { Metadata = pool.Metadata with { Finalizers = remaining } }, cancellationToken);
        }
        catch (KubernetesNotFoundException)
        {
            // Already gone.
        }

        PoolLog.PoolFinalized(logger, key.Namespace, name);
        return ReconcileResult.Done;
    }

    /// <summary>Deletes <paramref name="value"/> if it exists and <paramref name="pool"/> controls it (never a same-named foreign object).</summary>
    private async Task DeleteOwnedAsync<T>(BuildKitPool pool, T? value, CancellationToken cancellationToken)
        where T : class, IKubernetesResource<T>
    {
        if (value is null || value.Metadata.DeletionTimestamp is not null || !PoolOwnership.IsOwnedBy(value.Metadata, pool))
        {
            return;
        }

        await client.For<T>().DeleteIfExistsAsync(value.Metadata.Namespace, value.Metadata.Name!, new DeleteOptions
        {
            PropagationPolicy = PropagationPolicy.Background,
            Preconditions = new Preconditions { Uid = value.Metadata.Uid },
        }, cancellationToken);
    }

    private static TimeSpan? Min(TimeSpan? a, TimeSpan? b) => a is null ? b : b is null ? a : a < b ? a : b;

    private static DateTimeOffset? Latest(DateTimeOffset? current, IEnumerable<DateTimeOffset?> values)
    {
        foreach (var value in values)
        {
            if (value is { } v && (current is null || v > current))
            {
                current = v;
            }
        }

        return current;
    }
}
