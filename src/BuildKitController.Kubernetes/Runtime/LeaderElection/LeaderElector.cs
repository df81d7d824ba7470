using BuildKitController.Kubernetes.Client;
using BuildKitController.Kubernetes.Errors;
using BuildKitController.Kubernetes.Models;
using BuildKitController.Kubernetes.Models.CoordinationV1;
using BuildKitController.Kubernetes.Runtime.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace BuildKitController.Kubernetes.Runtime.LeaderElection;

/// <summary>
/// Leader election over a coordination.k8s.io Lease, with client-go's algorithm: a lease held by someone else
/// counts as expired only when this instance has observed no change to it for <c>LeaseDuration</c> (no clock
/// comparison across machines); every write is conditional on the lease's resourceVersion. While leading, the
/// lease is renewed every <c>RetryPeriod</c>; if renewal fails for <c>RenewDeadline</c>, the leading work is
/// cancelled before another instance can take over.
/// </summary>
public sealed class LeaderElector
{
    private readonly KubernetesClient _client;
    private readonly LeaderElectionOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private LeaseSpec? _observedSpec;
    private string? _observedVersion;
    private long _observedAt;
    private volatile bool _isLeader;

    public LeaderElector(KubernetesClient client, LeaderElectionOptions options, ILogger? logger = null)
    {
        if (options.RenewDeadline >= options.LeaseDuration)
        {
            throw new ArgumentException("RenewDeadline must be shorter than LeaseDuration", nameof(options));
        }

        _client = client;
        _options = options;
        _time = client.TimeProvider;
        _logger = logger ?? NullLogger.Instance;
    }

    public bool IsLeader => _isLeader;

    public string Identity => _options.Identity;

    /// <summary>
    /// Campaigns until elected, runs <paramref name="lead"/> with a token that is cancelled when leadership is
    /// lost or <paramref name="cancellationToken"/> fires, and returns after <paramref name="lead"/> has finished.
    /// Returns <c>true</c> if it stopped because leadership was lost.
    /// </summary>
    public async Task<bool> RunAsync(Func<CancellationToken, Task> lead, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lead);
        if (!await AcquireAsync(cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        _isLeader = true;
        RuntimeLog.BecameLeader(_logger, _options.LeaseName, _options.Identity);
        using var leading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var work = Task.Run(() => lead(leading.Token), CancellationToken.None);
        var lost = await RenewUntilLostAsync(work, leading.Token).ConfigureAwait(false);
        _isLeader = false;
        await leading.CancelAsync().ConfigureAwait(false);
        if (lost)
        {
            RuntimeLog.LostLeadership(_logger, _options.LeaseName, _options.Identity);
        }

        try
        {
            await work.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The leading work stops by cancellation.
        }

        if (!lost && _options.ReleaseOnCancel)
        {
            await ReleaseAsync().ConfigureAwait(false);
        }

        return lost;
    }

    private async Task<bool> AcquireAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            if (await TryAcquireOrRenewAsync(cancellationToken).ConfigureAwait(false))
            {
                return true;
            }

            if (!await DelayAsync(Jitter(_options.RetryPeriod), cancellationToken).ConfigureAwait(false))
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>Returns true when leadership was lost, false when the work ended or the caller cancelled.</summary>
    private async Task<bool> RenewUntilLostAsync(Task work, CancellationToken cancellationToken)
    {
        var lastRenew = _time.GetTimestamp();
        while (!work.IsCompleted)
        {
            var tick = DelayAsync(_options.RetryPeriod, cancellationToken);
            if (await Task.WhenAny(tick, work).ConfigureAwait(false) == work || !await tick.ConfigureAwait(false))
            {
                return false;
            }

            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attempt.CancelAfter(_options.RenewDeadline);
            if (await TryAcquireOrRenewAsync(attempt.Token).ConfigureAwait(false))
            {
                lastRenew = _time.GetTimestamp();
                continue;
            }

            if (cancellationToken.IsCancellationRequested)
            {
                return false;
            }

            if (_time.GetElapsedTime(lastRenew) >= _options.RenewDeadline || !HoldsObservedLease())
            {
                return true;
            }
        }

        return false;
    }

    internal async Task<bool> TryAcquireOrRenewAsync(CancellationToken cancellationToken)
    {
        var leases = _client.For<Lease>();
        var now = _time.GetUtcNow();
        try
        {
            var lease = await leases.TryGetAsync(_options.Namespace, _options.LeaseName, cancellationToken).ConfigureAwait(false);
            if (lease is null)
            {
                var created = await leases.CreateAsync(
                    new Lease
                    {
                        Metadata = new ObjectMeta { Name = _options.LeaseName, Namespace = _options.Namespace },
                        Spec = NewSpec(now, transitions: 0, acquireTime: now),
                    },
                    cancellationToken).ConfigureAwait(false);
                Observe(created);
                return true;
            }

            Observe(lease);
            var spec = lease.Spec ?? new LeaseSpec();
            var heldByOther = !string.IsNullOrEmpty(spec.HolderIdentity) && spec.HolderIdentity != _options.Identity;
            if (heldByOther && !ObservedLeaseExpired(spec))
            {
                RuntimeLog.LeaseAttemptFailed(_logger, _options.LeaseName, "held by another instance");
                return false;
            }

            var acquiring = spec.HolderIdentity != _options.Identity;
            lease.Spec = NewSpec(
                now,
                transitions: (spec.LeaseTransitions ?? 0) + (acquiring && !string.IsNullOrEmpty(spec.HolderIdentity) ? 1 : 0),
                acquireTime: acquiring ? now : spec.AcquireTime ?? now);
            var updated = await leases.UpdateAsync(lease, cancellationToken).ConfigureAwait(false);
            Observe(updated);
            return true;
        }
        catch (Exception ex) when (ex is KubernetesApiException or HttpRequestException or TimeoutException or OperationCanceledException)
        {
            // Conflicts (another instance wrote first), outages and timeouts all mean "not this round".
            var reason = ex.GetType().Name;
            RuntimeLog.LeaseAttemptFailed(_logger, _options.LeaseName, reason);
            return false;
        }
    }

    private async Task ReleaseAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(_options.RenewDeadline, _time);
            var leases = _client.For<Lease>();
            var lease = await leases.TryGetAsync(_options.Namespace, _options.LeaseName, timeout.Token).ConfigureAwait(false);
            if (lease?.Spec?.HolderIdentity != _options.Identity)
            {
                return;
            }

            lease.Spec = lease.Spec with { HolderIdentity = null, LeaseDurationSeconds = 1, RenewTime = _time.GetUtcNow() };
            await leases.UpdateAsync(lease, timeout.Token).ConfigureAwait(false);
            RuntimeLog.LeaseReleased(_logger, _options.LeaseName);
        }
        catch (Exception ex) when (ex is KubernetesApiException or HttpRequestException or TimeoutException or OperationCanceledException)
        {
            var reason = "release: " + ex.GetType().Name;
            RuntimeLog.LeaseAttemptFailed(_logger, _options.LeaseName, reason);
        }
    }

    private LeaseSpec NewSpec(DateTimeOffset now, int transitions, DateTimeOffset acquireTime) => new()
    {
        HolderIdentity = _options.Identity,
        LeaseDurationSeconds = (int)Math.Ceiling(_options.LeaseDuration.TotalSeconds),
        AcquireTime = acquireTime,
        RenewTime = now,
        LeaseTransitions = transitions,
    };

    /// <summary>Remembers when the lease record last changed, by our own clock.</summary>
    private void Observe(Lease lease)
    {
        var spec = lease.Spec ?? new LeaseSpec();
        if (_observedSpec is null
            || _observedSpec.HolderIdentity != spec.HolderIdentity
            || _observedSpec.RenewTime != spec.RenewTime
            || _observedSpec.LeaseTransitions != spec.LeaseTransitions)
        {
            _observedAt = _time.GetTimestamp();
        }

        _observedSpec = spec;
        _observedVersion = lease.Metadata.ResourceVersion;
    }

    private bool ObservedLeaseExpired(LeaseSpec spec)
    {
        var duration = spec.LeaseDurationSeconds is > 0 ? TimeSpan.FromSeconds(spec.LeaseDurationSeconds.Value) : _options.LeaseDuration;
        return _time.GetElapsedTime(_observedAt) >= duration;
    }

    private bool HoldsObservedLease() => _observedVersion is not null && _observedSpec?.HolderIdentity == _options.Identity;

    private async Task<bool> DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static TimeSpan Jitter(TimeSpan period)
    {
#pragma warning disable CA5394 // spreading campaign attempts is not security-relevant
        return period + TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * period.TotalMilliseconds * 0.2);
#pragma warning restore CA5394
    }
}
