using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using BuildKitController.Core.Api.V1Alpha1;
using BuildKitController.Kubernetes.Runtime.Informers;

namespace BuildKitController.Operator.Metrics;

/// <summary>
/// The controller's own metrics (meter <see cref="MeterName"/>), exported verbatim by name:
/// <list type="bullet">
/// <item><c>buildkit_workers_total{namespace,pool,phase}</c> (gauge, read from the worker informer cache at scrape
/// time; every phase of every known pool is reported, zeros included, phases in lower case as the upstream README
/// shows them);</item>
/// <item><c>buildkit_pools_total</c> (gauge, from the pool cache);</item>
/// <item><c>buildkit_worker_allocations_total{pool}</c>, <c>buildkit_controller_certificates_issued_total{type}</c>,
/// <c>buildkit_controller_scale_operations_total{pool,operation}</c> (counters);</item>
/// <item><c>buildkit_controller_certificate_expiry_seconds{namespace,pool,type}</c> (gauge: seconds until the
/// registered certificate's notAfter, negative once expired);</item>
/// <item><c>leader_election_master_status{name}</c> (gauge, 1 while leading; only with leader election).</item>
/// </list>
/// Label cardinality is bounded: pools and namespaces come from the cluster's pools, phases from the CRD enum
/// (anything else counts as <c>unknown</c>), and free-text labels (<c>type</c>, <c>operation</c>) must be short
/// lower-case tokens or they are reported as <c>other</c>.
/// </summary>
internal sealed class OperatorMetrics : IDisposable
{
    public const string MeterName = "BuildKitController.Operator";

    public const string WorkersTotal = "buildkit_workers_total";
    public const string PoolsTotal = "buildkit_pools_total";
    public const string WorkerAllocationsTotal = "buildkit_worker_allocations_total";
    public const string CertificatesIssuedTotal = "buildkit_controller_certificates_issued_total";
    public const string CertificateExpirySeconds = "buildkit_controller_certificate_expiry_seconds";
    public const string ScaleOperationsTotal = "buildkit_controller_scale_operations_total";
    public const string LeaderStatus = "leader_election_master_status";

    private const string Other = "other";
    private const string UnknownPhase = "unknown";

    private static readonly string[] Phases = [.. WorkerPhases.All.Select(p => p.ToLowerInvariant())];

    private readonly Meter _meter;
    private readonly TimeProvider _time;
    private readonly Counter<long> _allocations;
    private readonly Counter<long> _certificatesIssued;
    private readonly Counter<long> _scaleOperations;
    private readonly ConcurrentDictionary<(string Namespace, string Pool, string Type), DateTimeOffset> _expiries = new();
    private volatile Func<IReadOnlyCollection<BuildKitWorker>>? _workers;
    private volatile Func<IReadOnlyCollection<BuildKitPool>>? _pools;
    private volatile Leadership? _leadership;

    public OperatorMetrics(TimeProvider? time = null)
        : this(time, MeterName)
    {
    }

    /// <summary>For tests: a private meter name keeps parallel tests from seeing each other's series.</summary>
    internal OperatorMetrics(TimeProvider? time, string meterName)
    {
        _time = time ?? TimeProvider.System;
        _meter = new Meter(meterName);
        _meter.CreateObservableGauge(WorkersTotal, ObserveWorkers, description: "BuildKit workers by namespace, pool and phase.");
        _meter.CreateObservableGauge(PoolsTotal, ObservePools, description: "BuildKit pools.");
        _allocations = _meter.CreateCounter<long>(WorkerAllocationsTotal, description: "Worker allocations handed out, by pool.");
        _certificatesIssued = _meter.CreateCounter<long>(CertificatesIssuedTotal, description: "Certificates issued, by type.");
        _meter.CreateObservableGauge(CertificateExpirySeconds, ObserveExpiries, unit: "s", description: "Seconds until a pool certificate expires, by namespace, pool and type.");
        _scaleOperations = _meter.CreateCounter<long>(ScaleOperationsTotal, description: "Scaling operations, by pool and operation.");
        _meter.CreateObservableGauge(LeaderStatus, ObserveLeadership, description: "1 while this instance holds the leader election Lease, else 0.");
    }

    /// <summary>Reports <c>buildkit_workers_total</c> from this cache (the worker controller's informer) until the term ends.</summary>
    public void ObserveWorkers(ObjectCache<BuildKitWorker> workers)
    {
        ArgumentNullException.ThrowIfNull(workers);
        ObserveWorkers(workers.List);
    }

    /// <summary>Reports <c>buildkit_workers_total</c> from <paramref name="workers"/>, called at scrape time.</summary>
    public void ObserveWorkers(Func<IReadOnlyCollection<BuildKitWorker>> workers) => _workers = workers;

    /// <summary>Reports <c>buildkit_pools_total</c> (and zero worker series for empty pools) from this cache.</summary>
    public void ObservePools(ObjectCache<BuildKitPool> pools)
    {
        ArgumentNullException.ThrowIfNull(pools);
        ObservePools(pools.List);
    }

    /// <summary>Reports <c>buildkit_pools_total</c> from <paramref name="pools"/>, called at scrape time.</summary>
    public void ObservePools(Func<IReadOnlyCollection<BuildKitPool>> pools) => _pools = pools;

    /// <summary>Counts one allocation of a worker of <paramref name="pool"/>.</summary>
    public void RecordAllocation(string pool) =>
        _allocations.Add(1, new KeyValuePair<string, object?>("pool", pool));

    /// <summary>Counts one issued certificate; <paramref name="type"/> is a short token such as <c>ca</c>, <c>server</c>, <c>client</c>.</summary>
    public void RecordCertificateIssued(string type) =>
        _certificatesIssued.Add(1, new KeyValuePair<string, object?>("type", Token(type)));

    /// <summary>Counts one scaling operation; <paramref name="operation"/> is a short token such as <c>scale_up</c>, <c>scale_down</c>.</summary>
    public void RecordScaleOperation(string pool, string operation) =>
        _scaleOperations.Add(1, new KeyValuePair<string, object?>("pool", pool), new KeyValuePair<string, object?>("operation", Token(operation)));

    /// <summary>Sets (or replaces) the expiry reported for a pool's certificate of <paramref name="type"/>.</summary>
    public void SetCertificateExpiry(string @namespace, string pool, string type, DateTimeOffset notAfter) =>
        _expiries[(@namespace, pool, Token(type))] = notAfter;

    /// <summary>Stops reporting every certificate of a pool (call when the pool is deleted).</summary>
    public void RemoveCertificateExpiries(string @namespace, string pool)
    {
        foreach (var key in _expiries.Keys.Where(k => k.Namespace == @namespace && k.Pool == pool))
        {
            _expiries.TryRemove(key, out _);
        }
    }

    /// <summary>Reports <c>leader_election_master_status{name}</c> from <paramref name="isLeader"/>.</summary>
    internal void ObserveLeadership(string leaseName, Func<bool> isLeader) => _leadership = new Leadership(leaseName, isLeader);

    /// <summary>
    /// Forgets the cache-backed sources: called by the host when the controllers of a leadership term have stopped,
    /// so a standby reports no stale worker counts.
    /// </summary>
    internal void EndTerm()
    {
        _workers = null;
        _pools = null;
    }

    public void Dispose() => _meter.Dispose();

    private IEnumerable<Measurement<long>> ObserveWorkers()
    {
        var workers = _workers;
        if (workers is null)
        {
            return [];
        }

        var counts = new Dictionary<(string Namespace, string Pool), Dictionary<string, long>>();
        foreach (var pool in _pools?.Invoke() ?? [])
        {
            Bucket(counts, (pool.Metadata.Namespace ?? "", pool.Metadata.Name ?? ""));
        }

        foreach (var worker in workers())
        {
            var name = worker.Spec.PoolRef.Name;
            if (string.IsNullOrEmpty(name))
            {
                continue;
            }

            var ns = string.IsNullOrEmpty(worker.Spec.PoolRef.Namespace) ? worker.Metadata.Namespace ?? "" : worker.Spec.PoolRef.Namespace;
            var phases = Bucket(counts, (ns, name));
            var phase = PhaseLabel(worker.Status?.Phase);
            phases[phase] = phases.GetValueOrDefault(phase) + 1;
        }

        var measurements = new List<Measurement<long>>(counts.Count * Phases.Length);
        foreach (var ((ns, pool), phases) in counts)
        {
            foreach (var (phase, count) in phases)
            {
                measurements.Add(new Measurement<long>(
                    count,
                    new KeyValuePair<string, object?>("namespace", ns),
                    new KeyValuePair<string, object?>("pool", pool),
                    new KeyValuePair<string, object?>("phase", phase)));
            }
        }

        return measurements;
    }

    private IEnumerable<Measurement<long>> ObservePools()
    {
        var pools = _pools;
        return pools is null ? [] : [new Measurement<long>(pools().Count)];
    }

    private IEnumerable<Measurement<double>> ObserveExpiries()
    {
        var now = _time.GetUtcNow();
        return
        [
            .. _expiries.Select(e => new Measurement<double>(
                (e.Value - now).TotalSeconds,
                new KeyValuePair<string, object?>("namespace", e.Key.Namespace),
                new KeyValuePair<string, object?>("pool", e.Key.Pool),
                new KeyValuePair<string, object?>("type", e.Key.Type))),
        ];
    }

    private IEnumerable<Measurement<long>> ObserveLeadership()
    {
        var leadership = _leadership;
        return leadership is null ? [] : [new Measurement<long>(leadership.IsLeader() ? 1 : 0, new KeyValuePair<string, object?>("name", leadership.LeaseName))];
    }

    private static Dictionary<string, long> Bucket(Dictionary<(string, string), Dictionary<string, long>> counts, (string, string) pool)
    {
        if (!counts.TryGetValue(pool, out var phases))
        {
            phases = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var phase in Phases)
            {
                phases[phase] = 0;
            }

            counts[pool] = phases;
        }

        return phases;
    }

    private static string PhaseLabel(string? phase)
    {
        if (string.IsNullOrEmpty(phase))
        {
            return WorkerPhases.Pending.ToLowerInvariant(); // no status yet
        }

        foreach (var known in WorkerPhases.All)
        {
            if (string.Equals(known, phase, StringComparison.OrdinalIgnoreCase))
            {
                return known.ToLowerInvariant();
            }
        }

        return UnknownPhase;
    }

    /// <summary>Keeps free-text label values to short lower-case tokens.</summary>
    internal static string Token(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > 32 || !char.IsAsciiLetterLower(value[0]))
        {
            return Other;
        }

        foreach (var c in value)
        {
            if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '_' or '-'))
            {
                return Other;
            }
        }

        return value;
    }

    private sealed record Leadership(string LeaseName, Func<bool> IsLeader);
}
