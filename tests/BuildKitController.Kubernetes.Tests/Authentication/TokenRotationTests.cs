using BuildKitController.Kubernetes.Authentication;
using BuildKitController.Kubernetes.Configuration;
using BuildKitController.Kubernetes.Models.CoreV1;
using BuildKitController.Kubernetes.Tests.Support;
using BuildKitController.Testing.Time;

namespace BuildKitController.Kubernetes.Tests.Authentication;

public sealed class TokenRotationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_rotated_token_file_is_picked_up_after_a_401_without_restart()
    {
        await using var cluster = await FakeCluster.StartAsync();
        using var dir = new TempDirectory();
        var tokenPath = dir.Write("token", "first-token");
        var written = File.GetLastWriteTimeUtc(tokenPath);
        cluster.Server.AddToken("first-token", "system:serviceaccount:buildkit-system:controller");
        var configuration = KubeconfigLoader.LoadFromString(cluster.Server.CreateKubeconfig()) with { Token = new FileTokenSource(tokenPath, TimeProvider.System) };
        var configMaps = cluster.CreateClient(configuration).For<ConfigMap>();
        await configMaps.ListAsync("default", null, Ct);

        // The kubelet swaps the token; keep the old modification time so only the 401 can reveal the change.
        cluster.Server.RemoveToken("first-token");
        cluster.Server.AddToken("second-token", "system:serviceaccount:buildkit-system:controller");
        File.WriteAllText(tokenPath, "second-token");
        File.SetLastWriteTimeUtc(tokenPath, written);

        await configMaps.ListAsync("default", null, Ct);

        var lists = cluster.Server.RequestLog.Entries.Where(e => e.Method == "GET").Select(e => e.StatusCode).ToList();
        Assert.Equal([200, 401, 200], lists);
    }

    [Fact]
    public async Task A_changed_token_file_is_read_before_the_next_request()
    {
        using var dir = new TempDirectory();
        var tokenPath = dir.Write("token", "one");
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        var source = new FileTokenSource(tokenPath, time);
        Assert.Equal("one", await source.GetTokenAsync(false, Ct));

        File.WriteAllText(tokenPath, "two\n");
        File.SetLastWriteTimeUtc(tokenPath, File.GetLastWriteTimeUtc(tokenPath).AddSeconds(5));

        Assert.Equal("two", await source.GetTokenAsync(false, Ct));
    }

    [Fact]
    public async Task The_token_file_is_re_read_at_least_every_minute()
    {
        using var dir = new TempDirectory();
        var tokenPath = dir.Write("token", "one");
        var written = File.GetLastWriteTimeUtc(tokenPath);
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        var source = new FileTokenSource(tokenPath, time);
        await source.GetTokenAsync(false, Ct);
        File.WriteAllText(tokenPath, "two");
        File.SetLastWriteTimeUtc(tokenPath, written);

        Assert.Equal("one", await source.GetTokenAsync(false, Ct));
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal("two", await source.GetTokenAsync(false, Ct));
    }

    [Fact]
    public async Task A_missing_token_file_keeps_the_last_good_token()
    {
        using var dir = new TempDirectory();
        var tokenPath = dir.Write("token", "one");
        var source = new FileTokenSource(tokenPath, TimeProvider.System);
        await source.GetTokenAsync(false, Ct);
        File.Delete(tokenPath);

        Assert.Equal("one", await source.GetTokenAsync(true, Ct));
        Assert.DoesNotContain("one", source.ToString(), StringComparison.Ordinal);
    }
}
