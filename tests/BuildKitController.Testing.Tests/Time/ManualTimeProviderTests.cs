using BuildKitController.Testing.Time;

namespace BuildKitController.Testing.Tests.Time;

public sealed class ManualTimeProviderTests
{
    private static readonly DateTimeOffset Start = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Clock_moves_only_when_advanced()
    {
        var time = new ManualTimeProvider(Start);
        var before = time.GetTimestamp();

        Assert.Equal(Start, time.GetUtcNow());
        time.Advance(TimeSpan.FromSeconds(90));

        Assert.Equal(Start.AddSeconds(90), time.GetUtcNow());
        Assert.Equal(TimeSpan.FromSeconds(90), time.GetElapsedTime(before));
    }

    [Fact]
    public void Timers_fire_in_due_order_with_the_clock_at_their_due_time()
    {
        var time = new ManualTimeProvider(Start);
        var fired = new List<(string Name, DateTimeOffset At)>();
        using var late = time.CreateTimer(_ => fired.Add(("late", time.GetUtcNow())), null, TimeSpan.FromSeconds(30), Timeout.InfiniteTimeSpan);
        using var early = time.CreateTimer(_ => fired.Add(("early", time.GetUtcNow())), null, TimeSpan.FromSeconds(10), Timeout.InfiniteTimeSpan);

        time.Advance(TimeSpan.FromSeconds(5));
        Assert.Empty(fired);

        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal([("early", Start.AddSeconds(10)), ("late", Start.AddSeconds(30))], fired);
        Assert.Equal(Start.AddSeconds(65), time.GetUtcNow());
    }

    [Fact]
    public void Periodic_timer_fires_once_per_period_passed()
    {
        var time = new ManualTimeProvider(Start);
        var count = 0;
        using var timer = time.CreateTimer(_ => count++, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));

        time.Advance(TimeSpan.FromSeconds(6));

        Assert.Equal(3, count);
    }

    [Fact]
    public void Change_reschedules_and_dispose_cancels()
    {
        var time = new ManualTimeProvider(Start);
        var count = 0;
        var timer = time.CreateTimer(_ => count++, null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);

        Assert.True(timer.Change(TimeSpan.FromSeconds(10), Timeout.InfiniteTimeSpan));
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(0, count);
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(1, count);

        Assert.True(timer.Change(TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan));
        timer.Dispose();
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(1, count);
        Assert.False(timer.Change(TimeSpan.Zero, Timeout.InfiniteTimeSpan));
    }

    [Fact]
    public async Task Task_Delay_on_the_provider_completes_when_time_is_advanced()
    {
        var time = new ManualTimeProvider(Start);
        var delay = Task.Delay(TimeSpan.FromMinutes(5), time, TestContext.Current.CancellationToken);

        await time.WaitForTimersAsync(1, TestContext.Current.CancellationToken);
        Assert.False(delay.IsCompleted);
        time.Advance(TimeSpan.FromMinutes(5));

        await delay.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.True(delay.IsCompletedSuccessfully);
    }

    [Fact]
    public void Timed_cancellation_source_cancels_on_advance()
    {
        var time = new ManualTimeProvider(Start);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30), time);

        time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(cts.IsCancellationRequested);
        time.Advance(TimeSpan.FromSeconds(1));

        Assert.True(cts.IsCancellationRequested);
    }

    [Fact]
    public void Clock_cannot_go_back()
    {
        var time = new ManualTimeProvider(Start);

        Assert.Throws<ArgumentOutOfRangeException>(() => time.Advance(TimeSpan.FromSeconds(-1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => time.SetUtcNow(Start.AddSeconds(-1)));
    }

    [Fact]
    public void Timer_callback_can_create_timers_and_they_fire_in_the_same_advance()
    {
        var time = new ManualTimeProvider(Start);
        var fired = new List<int>();
        ITimer? second = null;
        using var first = time.CreateTimer(_ =>
        {
            fired.Add(1);
            second = time.CreateTimer(_ => fired.Add(2), null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
        }, null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);

        time.Advance(TimeSpan.FromSeconds(3));

        Assert.Equal([1, 2], fired);
        second?.Dispose();
    }

    [Fact]
    public async Task Concurrent_timer_creation_and_advance_is_safe()
    {
        var time = new ManualTimeProvider(Start);
        var count = 0;
        var timers = new System.Collections.Concurrent.ConcurrentBag<ITimer>();
        var create = Task.Run(() =>
        {
            for (var i = 0; i < 500; i++)
            {
                timers.Add(time.CreateTimer(_ => Interlocked.Increment(ref count), null, TimeSpan.FromMilliseconds(i % 7), Timeout.InfiniteTimeSpan));
            }
        }, TestContext.Current.CancellationToken);
        for (var i = 0; i < 100; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(1));
        }

        await create;
        time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(500, count);
        Assert.Equal(0, time.ActiveTimerCount);
    }
}
