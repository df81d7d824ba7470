using System.Collections.Concurrent;
using BuildKitController.Kubernetes.Errors;
using BuildKitController.Kubernetes.Models;
using BuildKitController.Kubernetes.Runtime.Controllers;
using BuildKitController.Kubernetes.Runtime.Queue;
using BuildKitController.Testing.Logging;
using BuildKitController.Testing.Time;
using Microsoft.Extensions.Logging;

namespace BuildKitController.Kubernetes.Tests.Runtime.Controllers;

public sealed class ControllerTests
{
    private readonly ManualTimeProvider _time = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed class ScriptedReconciler(Func<string, int, ReconcileResult> script) : IReconciler<string>
    {
        private readonly ConcurrentDictionary<string, int> _calls = new();

        public ConcurrentQueue<string> Log { get; } = new();

        public Task<ReconcileResult> ReconcileAsync(string key, CancellationToken cancellationToken)
        {
            var attempt = _calls.AddOrUpdate(key, 1, (_, n) => n + 1);
            Log.Enqueue($"{key}#{attempt}");
            return Task.FromResult(script(key, attempt));
        }
    }

    private static ItemExponentialRateLimiter<string> SecondBackoff() => new ItemExponentialRateLimiter<string>(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));

    [Fact]
    public async Task A_failing_key_backs_off_without_stalling_other_keys()
    {
        var reconciler = new ScriptedReconciler((key, attempt) => key == "bad" && attempt < 3 ? throw new InvalidOperationException("boom") : ReconcileResult.Done);
        var controller = new Controller<string>("test", reconciler, _time, rateLimiter: SecondBackoff());

        await controller.ProcessAsync("bad", Ct);
        await controller.ProcessAsync("good", Ct);

        Assert.Equal(["bad#1", "good#1"], reconciler.Log);
        Assert.Equal(1, controller.Queue.DelayedCount);
        Assert.Equal(1, controller.Queue.NumRequeues("bad"));

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, controller.Queue.Count);
    }

    [Fact]
    public async Task Success_forgets_the_failure_history()
    {
        var reconciler = new ScriptedReconciler((_, attempt) => attempt == 1 ? throw new InvalidOperationException("once") : ReconcileResult.Done);
        var controller = new Controller<string>("test", reconciler, _time, rateLimiter: SecondBackoff());

        await controller.ProcessAsync("k", Ct);
        Assert.Equal(1, controller.Queue.NumRequeues("k"));
        await controller.ProcessAsync("k", Ct);

        Assert.Equal(0, controller.Queue.NumRequeues("k"));
    }

    [Fact]
    public async Task RequeueAfter_schedules_the_key_on_the_clock()
    {
        var reconciler = new ScriptedReconciler((_, _) => ReconcileResult.After(TimeSpan.FromMinutes(5)));
        var controller = new Controller<string>("test", reconciler, _time);

        await controller.ProcessAsync("k", Ct);

        _time.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromTicks(1));
        Assert.Equal(0, controller.Queue.Count);
        _time.Advance(TimeSpan.FromTicks(1));
        Assert.Equal(1, controller.Queue.Count);
    }

    [Fact]
    public async Task RequeueAfter_counts_from_the_start_of_the_reconcile()
    {
        // The reconcile reads the clock, then takes two minutes (the clock moves while it runs) and asks to come back
        // five minutes after its reading: the key is due three minutes after the reconcile ended, not five.
        var reconciler = new ScriptedReconciler((_, _) =>
        {
            _time.Advance(TimeSpan.FromMinutes(2));
            return ReconcileResult.After(TimeSpan.FromMinutes(5));
        });
        var controller = new Controller<string>("test", reconciler, _time);

        await controller.ProcessAsync("k", Ct);

        _time.Advance(TimeSpan.FromMinutes(3) - TimeSpan.FromTicks(1));
        Assert.Equal(0, controller.Queue.Count);
        _time.Advance(TimeSpan.FromTicks(1));
        Assert.Equal(1, controller.Queue.Count);
    }

    [Fact]
    public async Task A_recheck_already_due_when_the_reconcile_ends_is_queued_at_once()
    {
        // The clock jumped past the requested recheck while the reconcile ran (a slow reconcile, or a test clock moved
        // by another thread): the key must not wait for a timer that would only fire one delay later.
        var reconciler = new ScriptedReconciler((_, attempt) =>
        {
            if (attempt == 1)
            {
                _time.Advance(TimeSpan.FromHours(1));
            }

            return ReconcileResult.After(TimeSpan.FromMinutes(1));
        });
        var controller = new Controller<string>("test", reconciler, _time);

        await controller.ProcessAsync("k", Ct);

        Assert.Equal(1, controller.Queue.Count);
        Assert.Equal(0, controller.Queue.DelayedCount);
    }

    [Fact]
    public async Task Write_conflicts_are_retried_quietly_until_one_key_keeps_conflicting()
    {
        var reconciler = new ScriptedReconciler((_, _) => throw new KubernetesConflictException(new Status { Code = 409, Reason = "Conflict", Message = "the object has been modified" }));
        using var logs = new RecordingLoggerFactory();
        var controller = new Controller<string>("test", reconciler, _time, rateLimiter: SecondBackoff(), logger: logs.CreateLogger("test"));

        for (var attempt = 0; attempt <= Controller<string>.ConflictsBeforeWarning; attempt++)
        {
            await controller.ProcessAsync("k", Ct);
        }

        var levels = logs.Entries.Select(e => (e.Level, e.Id.Id)).ToList();
        Assert.Equal(Enumerable.Repeat((LogLevel.Debug, 1111), Controller<string>.ConflictsBeforeWarning).Append((LogLevel.Warning, 1110)), levels);
        Assert.Equal(Controller<string>.ConflictsBeforeWarning + 1, controller.Queue.NumRequeues("k"));
    }

    [Fact]
    public async Task Other_failures_are_warnings_from_the_first()
    {
        var reconciler = new ScriptedReconciler((_, _) => throw new InvalidOperationException("boom"));
        using var logs = new RecordingLoggerFactory();
        var controller = new Controller<string>("test", reconciler, _time, logger: logs.CreateLogger("test"));

        await controller.ProcessAsync("k", Ct);

        var entry = Assert.Single(logs.Entries);
        Assert.Equal((LogLevel.Warning, 1110), (entry.Level, entry.Id.Id));
    }

    [Fact]
    public async Task Running_workers_process_queued_keys_and_stop_on_cancellation()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var seen = new ConcurrentDictionary<string, bool>();
        var reconciler = new ScriptedReconciler((key, _) =>
        {
            seen[key] = true;
            if (seen.Count == 3)
            {
                done.TrySetResult();
            }

            return ReconcileResult.Done;
        });
        var controller = new Controller<string>("test", reconciler, _time, new ControllerOptions { MaxConcurrentReconciles = 2 });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var run = controller.RunAsync(stop.Token);

        controller.Queue.Add("a");
        controller.Queue.Add("b");
        controller.Queue.Add("c");
        await done.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.True(controller.Queue.IsShuttingDown);
        Assert.Equal(["a", "b", "c"], seen.Keys.Order());
    }
}
