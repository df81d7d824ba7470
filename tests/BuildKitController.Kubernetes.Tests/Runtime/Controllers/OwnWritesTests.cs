using BuildKitController.Kubernetes.Runtime.Controllers;
using BuildKitController.Kubernetes.Runtime.Informers;

namespace BuildKitController.Kubernetes.Tests.Runtime.Controllers;

public sealed class OwnWritesTests
{
    private static readonly ObjectKey Key = new("ns", "worker-1");

    [Fact]
    public void The_cache_is_behind_while_it_shows_the_version_a_write_was_based_on()
    {
        var writes = new OwnWrites();
        Assert.False(writes.IsCacheBehind(Key, "10"));

        writes.Wrote(Key, "10", "11");

        Assert.True(writes.IsCacheBehind(Key, "10"));
        Assert.True(writes.IsCacheBehind(Key, "10"));
        Assert.False(writes.IsCacheBehind(new ObjectKey("ns", "worker-2"), "10"));
    }

    [Fact]
    public void Any_other_cached_version_ends_the_entry_for_good()
    {
        var writes = new OwnWrites();
        writes.Wrote(Key, "10", "11");

        Assert.False(writes.IsCacheBehind(Key, "11"));
        Assert.False(writes.IsCacheBehind(Key, "10"));
    }

    [Fact]
    public void A_creation_is_never_waited_for_so_an_object_deleted_again_is_recreated()
    {
        var writes = new OwnWrites();
        writes.Wrote(Key, "10", "11");

        writes.Wrote(Key, null, "12");

        Assert.False(writes.IsCacheBehind(Key, null));
        Assert.False(writes.IsCacheBehind(Key, "10"));
    }

    [Fact]
    public void Forget_drops_the_entry()
    {
        var writes = new OwnWrites();
        writes.Wrote(Key, "10", "11");

        writes.Forget(Key);

        Assert.False(writes.IsCacheBehind(Key, "10"));
    }

    [Fact]
    public void A_write_that_changed_nothing_is_not_waited_for()
    {
        var writes = new OwnWrites();
        writes.Wrote(Key, "10", "11");

        writes.Wrote(Key, "12", "12");

        Assert.False(writes.IsCacheBehind(Key, "12"));
        Assert.False(writes.IsCacheBehind(Key, "10"));
    }
}
