using BuildKitController.Operator.Hosting;
using BuildKitController.Testing.Time;
using Microsoft.Extensions.Logging.Abstractions;

namespace BuildKitController.Operator.Tests.Hosting;

public sealed class SettledHeapCompactorTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed class Component : IManagedController
    {
        public string Name => "component";

        public bool HasSynced { get; set; }

        public int QueueDepth { get; set; }

        public Task RunAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    /// <summary>Lets the compactor's pending check run, then waits until it armed the next one.</summary>
    private static async Task TickAsync(ManualTimeProvider time)
    {
        await time.WaitForTimersAsync(1, Ct);
        time.Advance(TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task Compacts_once_when_every_component_stayed_synced_and_idle_for_the_quiet_checks()
    {
        var time = new ManualTimeProvider();
        var collections = 0;
        var compactor = new SettledHeapCompactor(time, NullLogger.Instance, () => Interlocked.Increment(ref collections)) { QuietChecks = 3 };
        var api = new Component { HasSynced = true };
        var controller = new Component();
        var run = compactor.CompactWhenSettledAsync([api, controller], "test", Ct);

        await TickAsync(time); // the controller has not synced
        controller.HasSynced = true;
        await TickAsync(time); // quiet 1
        await TickAsync(time); // quiet 2
        controller.QueueDepth = 7;
        await TickAsync(time); // busy again: start over
        controller.QueueDepth = 0;
        await TickAsync(time); // quiet 1
        await TickAsync(time); // quiet 2
        await time.WaitForTimersAsync(1, Ct);
        Assert.Equal(0, Volatile.Read(ref collections));

        time.Advance(TimeSpan.FromSeconds(1)); // quiet 3
        Assert.True(await run.WaitAsync(TimeSpan.FromSeconds(30), Ct));
        Assert.Equal(1, Volatile.Read(ref collections));
        Assert.Equal(0, time.ActiveTimerCount);
    }

    [Fact]
    public async Task Cancelled_before_settling_it_never_collects()
    {
        var time = new ManualTimeProvider();
        var collections = 0;
        var compactor = new SettledHeapCompactor(time, NullLogger.Instance, () => Interlocked.Increment(ref collections));
        using var term = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var run = compactor.CompactWhenSettledAsync([new Component { HasSynced = true, QueueDepth = 1 }], "test", term.Token);
        await TickAsync(time);
        await time.WaitForTimersAsync(1, Ct);

        await term.CancelAsync();

        Assert.False(await run.WaitAsync(TimeSpan.FromSeconds(30), Ct));
        Assert.Equal(0, collections);
    }
}
