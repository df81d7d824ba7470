using BuildKitController.Operator.Hosting;

namespace BuildKitController.Operator.Tests.Hosting;

public sealed class OperatorHealthTests
{
    [Fact]
    public void Without_leader_election_ready_means_every_controller_synced()
    {
        var health = new OperatorHealth(leaderElection: false);
        Assert.Equal(503, health.Readiness().StatusCode);
        Assert.Equal(200, health.Liveness().StatusCode);

        var pools = new FakeController("buildkitpool");
        var workers = new FakeController("buildkitworker");
        health.BeginTerm([pools, workers]);
        var waiting = health.Readiness();
        Assert.False(waiting.Healthy);
        Assert.Contains("buildkitpool, buildkitworker", waiting.Message, StringComparison.Ordinal);

        pools.HasSynced = true;
        Assert.Equal("informer caches not synced: buildkitworker", health.Readiness().Message);
        workers.HasSynced = true;
        Assert.Equal(new ProbeResult(true, "ok"), health.Readiness());
    }

    [Fact]
    public void With_leader_election_a_standby_is_ready_and_a_leader_only_once_synced()
    {
        var health = new OperatorHealth(leaderElection: true);
        Assert.Equal(new ProbeResult(true, "ok: standby, not leading"), health.Readiness());

        var workers = new FakeController("buildkitworker");
        health.BeginTerm([workers]);
        Assert.Equal(503, health.Readiness().StatusCode);
        workers.HasSynced = true;
        Assert.Equal(200, health.Readiness().StatusCode);

        health.EndTerm();
        Assert.Equal(new ProbeResult(true, "ok: standby, not leading"), health.Readiness());
    }

    [Fact]
    public void Stopping_is_not_ready_and_stopped_is_not_live()
    {
        var health = new OperatorHealth(leaderElection: true);
        health.Stopping();
        Assert.Equal(new ProbeResult(false, "shutting down"), health.Readiness());
        Assert.True(health.Liveness().Healthy);

        health.Stopped();
        Assert.Equal(503, health.Liveness().StatusCode);
    }
}
