using BuildKitController.Kubernetes.Runtime.Queue;
using BuildKitController.Testing.Time;

namespace BuildKitController.Kubernetes.Tests.Runtime.Queue;

public sealed class WorkQueueTests
{
    private readonly ManualTimeProvider _time = new();
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_item_added_twice_while_queued_is_processed_once()
    {
        using var queue = new WorkQueue<string>(_time);
        queue.Add("a");
        queue.Add("b");
        queue.Add("a");

        Assert.Equal(2, queue.Count);
        Assert.Equal(("a", true), await queue.GetAsync(Ct));
        Assert.Equal(("b", true), await queue.GetAsync(Ct));
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public async Task An_item_added_while_processing_is_queued_again_only_after_done()
    {
        using var queue = new WorkQueue<string>(_time);
        queue.Add("a");
        var (item, _) = await queue.GetAsync(Ct);

        queue.Add("a");
        Assert.Equal(0, queue.Count);

        queue.Done(item);
        Assert.Equal(1, queue.Count);
        Assert.Equal(("a", true), await queue.GetAsync(Ct));
    }

    [Fact]
    public async Task A_waiting_worker_receives_an_item_added_later()
    {
        using var queue = new WorkQueue<string>(_time);
        var pending = queue.GetAsync(Ct).AsTask();
        Assert.False(pending.IsCompleted);

        queue.Add("x");

        Assert.Equal(("x", true), await pending.WaitAsync(TimeSpan.FromSeconds(10), Ct));
    }

    [Fact]
    public async Task AddAfter_releases_the_item_only_when_the_delay_has_passed()
    {
        using var queue = new WorkQueue<string>(_time);
        queue.AddAfter("a", TimeSpan.FromSeconds(10));

        _time.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal(0, queue.Count);
        Assert.Equal(1, queue.DelayedCount);

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, queue.Count);
        Assert.Equal(("a", true), await queue.GetAsync(Ct));
    }

    [Fact]
    public void The_earlier_of_two_delays_for_one_item_wins()
    {
        using var queue = new WorkQueue<string>(_time);
        queue.AddAfter("a", TimeSpan.FromSeconds(30));
        queue.AddAfter("a", TimeSpan.FromSeconds(5));
        queue.AddAfter("a", TimeSpan.FromSeconds(20));

        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(1, queue.Count);

        _time.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(1, queue.Count);
    }

    [Fact]
    public void Delayed_items_are_released_in_due_order()
    {
        using var queue = new WorkQueue<string>(_time);
        queue.AddAfter("late", TimeSpan.FromSeconds(3));
        queue.AddAfter("early", TimeSpan.FromSeconds(1));
        queue.AddAfter("middle", TimeSpan.FromSeconds(2));

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, queue.Count);
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(3, queue.Count);
    }

    [Fact]
    public void Rate_limited_adds_back_off_exponentially_per_item_until_forgotten()
    {
        var limiter = new ItemExponentialRateLimiter<string>(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(1000));

        Assert.Equal(TimeSpan.FromMilliseconds(5), limiter.When("a"));
        Assert.Equal(TimeSpan.FromMilliseconds(10), limiter.When("a"));
        Assert.Equal(TimeSpan.FromMilliseconds(20), limiter.When("a"));
        Assert.Equal(TimeSpan.FromMilliseconds(5), limiter.When("b"));
        Assert.Equal(3, limiter.NumRequeues("a"));

        limiter.Forget("a");
        Assert.Equal(0, limiter.NumRequeues("a"));
        Assert.Equal(TimeSpan.FromMilliseconds(5), limiter.When("a"));
    }

    [Fact]
    public void Exponential_backoff_is_capped()
    {
        var limiter = new ItemExponentialRateLimiter<string>(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(1000));
        TimeSpan last = default;
        for (var i = 0; i < 100; i++)
        {
            last = limiter.When("a");
        }

        Assert.Equal(TimeSpan.FromSeconds(1000), last);
    }

    [Fact]
    public void Overall_bucket_allows_the_burst_then_spaces_retries_at_qps()
    {
        var bucket = new BucketRateLimiter<int>(10, 100, _time);
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(TimeSpan.Zero, bucket.When(i));
        }

        Assert.Equal(TimeSpan.FromMilliseconds(100), bucket.When(100));
        Assert.Equal(TimeSpan.FromMilliseconds(200), bucket.When(101));

        _time.Advance(TimeSpan.FromMilliseconds(100));
        Assert.Equal(TimeSpan.FromMilliseconds(200), bucket.When(102));

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(TimeSpan.Zero, bucket.When(103));
    }

    [Fact]
    public void Default_controller_limiter_takes_the_longer_of_item_and_bucket_delays()
    {
        var limiter = DefaultRateLimiters.Controller<string>(_time);
        Assert.Equal(TimeSpan.FromMilliseconds(5), limiter.When("a"));
        Assert.Equal(TimeSpan.FromMilliseconds(10), limiter.When("a"));
    }

    [Fact]
    public async Task AddRateLimited_delays_by_the_limiter()
    {
        using var queue = new WorkQueue<string>(_time, new ItemExponentialRateLimiter<string>(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1)));
        queue.AddRateLimited("a");
        Assert.Equal(0, queue.Count);

        _time.Advance(TimeSpan.FromSeconds(1));
        var (item, _) = await queue.GetAsync(Ct);
        queue.Done(item);

        queue.AddRateLimited("a");
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(0, queue.Count);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, queue.Count);
        Assert.Equal(2, queue.NumRequeues("a"));
    }

    [Fact]
    public async Task Shutdown_wakes_waiting_workers_and_refuses_new_items()
    {
        using var queue = new WorkQueue<string>(_time);
        var waiting = queue.GetAsync(Ct).AsTask();

        queue.ShutDown();
        queue.Add("late");

        Assert.False((await waiting.WaitAsync(TimeSpan.FromSeconds(10), Ct)).Ok);
        Assert.False((await queue.GetAsync(Ct)).Ok);
        Assert.True(queue.IsShuttingDown);
    }

    [Fact]
    public async Task A_cancelled_wait_does_not_swallow_an_item()
    {
        using var queue = new WorkQueue<string>(_time);
        using var cts = new CancellationTokenSource();
        var cancelled = queue.GetAsync(cts.Token).AsTask();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);

        queue.Add("a");

        Assert.Equal(("a", true), await queue.GetAsync(Ct));
    }

    [Fact]
    public async Task Many_workers_never_process_one_item_concurrently()
    {
        using var queue = new WorkQueue<int>(_time);
        var inFlight = new System.Collections.Concurrent.ConcurrentDictionary<int, int>();
        var violations = 0;
        var processed = 0;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        async Task WorkerAsync()
        {
            while (true)
            {
                var (item, ok) = await queue.GetAsync(stop.Token);
                if (!ok)
                {
                    return;
                }

                if (!inFlight.TryAdd(item, 0))
                {
                    Interlocked.Increment(ref violations);
                }

                await Task.Yield();
                inFlight.TryRemove(item, out _);
                queue.Done(item);
                Interlocked.Increment(ref processed);
            }
        }

        var workers = Enumerable.Range(0, 8).Select(_ => Task.Run(WorkerAsync, Ct)).ToArray();
        for (var round = 0; round < 200; round++)
        {
            queue.Add(round % 10);
        }

        while (queue.Count > 0 || !inFlight.IsEmpty)
        {
            await Task.Yield();
        }

        queue.ShutDown();
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(30), Ct);
        Assert.Equal(0, violations);
        Assert.InRange(processed, 10, 200);
    }
}
