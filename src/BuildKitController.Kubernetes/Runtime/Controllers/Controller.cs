using BuildKitController.Kubernetes.Errors;
using BuildKitController.Kubernetes.Runtime.Diagnostics;
using BuildKitController.Kubernetes.Runtime.Queue;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace BuildKitController.Kubernetes.Runtime.Controllers;

/// <summary>
/// Runs a reconciler over a work queue with N workers. A key is never reconciled by two workers at once;
/// a failing key is retried with per-key exponential backoff while other keys carry on.
/// </summary>
public sealed class Controller<TKey>
    where TKey : notnull
{
    /// <summary>Consecutive write conflicts of one key logged at debug level before they are logged as failures.</summary>
    internal const int ConflictsBeforeWarning = 5;

    private readonly IReconciler<TKey> _reconciler;
    private readonly ControllerOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    public Controller(
        string name,
        IReconciler<TKey> reconciler,
        TimeProvider timeProvider,
        ControllerOptions? options = null,
        IWorkQueueRateLimiter<TKey>? rateLimiter = null,
        ILogger? logger = null)
    {
        Name = name;
        _reconciler = reconciler;
        _timeProvider = timeProvider;
        _options = options ?? new ControllerOptions();
        _logger = logger ?? NullLogger.Instance;
        Queue = new WorkQueue<TKey>(timeProvider, rateLimiter);
    }

    public string Name { get; }

    /// <summary>
    /// Raised after every reconcile with its outcome (<c>success</c>, <c>requeue</c>, <c>requeue_after</c>, <c>error</c>),
    /// for diagnostics and for tests that must know a key has been processed.
    /// </summary>
    public event EventHandler<ReconcileCompleted<TKey>>? Reconciled;

    /// <summary>Where event handlers put keys.</summary>
    public WorkQueue<TKey> Queue { get; }

    /// <summary>Runs the workers until cancelled, then shuts the queue down and waits for in-flight reconciles.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var depth = ControllerMetrics.TrackQueue(Name, () => Queue.Count);
        var workers = Enumerable.Range(0, Math.Max(1, _options.MaxConcurrentReconciles))
            .Select(_ => Task.Run(() => WorkerAsync(cancellationToken), CancellationToken.None))
            .ToArray();
        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }
        finally
        {
            Queue.ShutDown();
            await Task.WhenAll(workers).ConfigureAwait(false);
        }
    }

    private async Task WorkerAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            (TKey Item, bool Ok) next;
            try
            {
                next = await Queue.GetAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (!next.Ok)
            {
                return;
            }

            try
            {
                await ProcessAsync(next.Item, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                Queue.Done(next.Item);
            }
        }
    }

    internal async Task ProcessAsync(TKey key, CancellationToken cancellationToken)
    {
        var started = _timeProvider.GetTimestamp();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.ReconcileTimeout);
        string outcome;
        try
        {
            var result = await _reconciler.ReconcileAsync(key, timeout.Token).ConfigureAwait(false);
            Queue.Forget(key);
            if (result.RequeueAfter is { } after && after > TimeSpan.Zero)
            {
                // The delay counts from the start of the reconcile (whose clock reading it was computed from): a
                // reconcile that took long, or a clock that moved meanwhile, must not push the recheck past its due time.
                var remaining = after - _timeProvider.GetElapsedTime(started);
                if (remaining > TimeSpan.Zero)
                {
                    Queue.AddAfter(key, remaining);
                }
                else
                {
                    Queue.Add(key);
                }

                outcome = "requeue_after";
            }
            else if (result.Requeue)
            {
                Queue.AddRateLimited(key);
                outcome = "requeue";
            }
            else
            {
                outcome = "success";
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutdown or lost leadership: the key is not retried here.
            return;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            outcome = "error";
            var retries = Queue.NumRequeues(key);
            if (ex is KubernetesConflictException && retries < ConflictsBeforeWarning)
            {
                // Optimistic concurrency at work (another writer, or a cache a step behind): routine, so not a warning
                // unless it keeps happening to the same key.
                RuntimeLog.ReconcileConflict(_logger, Name, key.ToString() ?? "", retries);
            }
            else
            {
                RuntimeLog.ReconcileFailed(_logger, ex, Name, key.ToString() ?? "", retries);
            }

            Queue.AddRateLimited(key);
        }

        ControllerMetrics.Record(Name, outcome, _timeProvider.GetElapsedTime(started));
        Reconciled?.Invoke(this, new ReconcileCompleted<TKey>(key, outcome));
    }
}
