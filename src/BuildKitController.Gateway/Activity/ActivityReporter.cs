using BuildKitController.Core.Api.V1Alpha1;
using BuildKitController.Gateway.Diagnostics;
using BuildKitController.Kubernetes.Client;
using BuildKitController.Kubernetes.Errors;
using BuildKitController.Kubernetes.Models;

namespace BuildKitController.Gateway.Activity;

/// <summary>
/// Writes <c>status.activeConnections</c> and <c>status.lastActivityAt</c> of workers with changed activity, at
/// most once per worker per interval (changes in between are coalesced), by server-side apply of the
/// <c>/status</c> subresource under the field manager <see cref="FieldManager"/>: the gateway owns exactly these
/// two fields and the controller's own status writes leave them alone. A worker that no longer exists is
/// forgotten.
/// </summary>
internal sealed class ActivityReporter(KubernetesClient client, ActivityTracker tracker, TimeSpan interval, TimeProvider time, GatewayMetrics metrics, ILogger logger)
{
    public const string FieldManager = "buildkit-gateway";

    /// <summary>Reports every interval until cancelled, then once more (the final counts after a drain).</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                await ReportAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>One pass: writes what changed since the last write.</summary>
    public async Task ReportAsync(CancellationToken cancellationToken)
    {
        foreach (var activity in tracker.Snapshot())
        {
            var active = activity.Active;
            var lastSeconds = activity.LastActivityTicks / TimeSpan.TicksPerSecond;
            if (activity.Reported is { } reported && reported.Active == active && reported.LastActivitySeconds >= lastSeconds)
            {
                if (active == 0)
                {
                    tracker.ForgetIfIdle(activity);
                }

                continue;
            }

            var lastActivity = new DateTimeOffset(lastSeconds * TimeSpan.TicksPerSecond, TimeSpan.Zero);
            var patch = new BuildKitWorker
            {
                Metadata = new ObjectMeta { Name = activity.Name, Namespace = activity.Namespace },
                Status = new BuildKitWorkerStatus { ActiveConnections = active, LastActivityAt = lastActivity },
            };
            try
            {
                await client.For<BuildKitWorker>().ApplyStatusAsync(patch, new ApplyOptions(FieldManager, Force: true), cancellationToken).ConfigureAwait(false);
                activity.Reported = (active, lastSeconds);
                metrics.StatusWrite("success");
                GatewayLog.StatusWritten(logger, activity.Name, active, lastActivity);
            }
            catch (KubernetesNotFoundException)
            {
                metrics.StatusWrite("not_found");
                tracker.ForgetIfIdle(activity, force: true);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // Retried at the next interval (the state stays unreported).
                metrics.StatusWrite("failure");
                GatewayLog.StatusWriteFailed(logger, activity.Name, ex.Message);
            }
        }
    }
}
