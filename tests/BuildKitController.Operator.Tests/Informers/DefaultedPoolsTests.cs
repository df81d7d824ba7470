using BuildKitController.Core.Api.V1Alpha1;
using BuildKitController.Core.Api.V1Alpha1.Defaulting;
using BuildKitController.Kubernetes.Models;
using BuildKitController.Operator.Informers;

namespace BuildKitController.Operator.Tests.Informers;

public sealed class DefaultedPoolsTests
{
    private static BuildKitPool Pool() => new() { Metadata = new ObjectMeta { Name = "ci", Namespace = "default", ResourceVersion = "1" } };

    [Fact]
    public void A_cached_pool_is_defaulted_once_and_an_updated_instance_again()
    {
        var defaults = new PoolDefaultingOptions();
        var cached = Pool();

        var first = DefaultedPools.Get(cached, defaults);
        var again = DefaultedPools.Get(cached, defaults);
        var updated = DefaultedPools.Get(Pool() with { Spec = new BuildKitPoolSpec { Scaling = new ScalingConfig { Max = 3 } } }, defaults);

        Assert.Same(first, again);
        Assert.NotSame(cached, first);
        Assert.Null(cached.Spec.Scaling);
        Assert.Equal(BuildKitPoolDefaulter.Apply(Pool(), defaults).Spec.Scaling!.Max, first.Spec.Scaling!.Max);
        Assert.Equal(3, updated.Spec.Scaling!.Max);
    }

    [Fact]
    public void Other_defaulting_options_are_not_served_a_stale_result()
    {
        var cached = Pool();
        var a = DefaultedPools.Get(cached, new PoolDefaultingOptions { GatewayImage = "registry.example/a:1" });
        var b = DefaultedPools.Get(cached, new PoolDefaultingOptions { GatewayImage = "registry.example/b:1" });

        Assert.NotSame(a, b);
        Assert.Equal("registry.example/b:1", b.Spec.GatewayImage);
    }

    [Fact]
    public void A_new_instance_with_the_same_generation_reuses_the_defaulted_spec_and_keeps_its_own_status()
    {
        var defaults = new PoolDefaultingOptions();
        var pool = new BuildKitPool { Metadata = new ObjectMeta { Name = "ci", Namespace = "default", Uid = Guid.NewGuid().ToString(), Generation = 4, ResourceVersion = "10" } };
        var first = DefaultedPools.Get(pool, defaults);

        var statusOnly = pool with
        {
            Metadata = pool.Metadata with { ResourceVersion = "11" },
            Status = new BuildKitPoolStatus { Phase = "Ready" },
        };
        var second = DefaultedPools.Get(statusOnly, defaults);

        Assert.Same(first.Spec, second.Spec);
        Assert.Equal("Ready", second.Status!.Phase);
        Assert.Equal("11", second.Metadata.ResourceVersion);
    }

    [Fact]
    public void A_new_generation_is_defaulted_afresh()
    {
        var defaults = new PoolDefaultingOptions();
        var pool = new BuildKitPool { Metadata = new ObjectMeta { Name = "ci", Namespace = "default", Uid = Guid.NewGuid().ToString(), Generation = 1 } };
        var first = DefaultedPools.Get(pool, defaults);

        var changed = DefaultedPools.Get(pool with
        {
            Metadata = pool.Metadata with { Generation = 2 },
            Spec = new BuildKitPoolSpec { Scaling = new ScalingConfig { Max = 7 } },
        }, defaults);

        Assert.NotSame(first.Spec, changed.Spec);
        Assert.Equal(7, changed.Spec.Scaling!.Max);
    }

    [Fact]
    public void A_forgotten_pool_uid_is_no_longer_held_and_is_defaulted_afresh()
    {
        var defaults = new PoolDefaultingOptions();
        var pool = new BuildKitPool { Metadata = new ObjectMeta { Name = "ci", Namespace = "default", Uid = Guid.NewGuid().ToString(), Generation = 1 } };
        var first = DefaultedPools.Get(pool, defaults);
        Assert.True(DefaultedPools.Holds(pool.Metadata.Uid!));

        Assert.True(DefaultedPools.Forget(pool.Metadata.Uid));

        Assert.False(DefaultedPools.Holds(pool.Metadata.Uid!));
        Assert.False(DefaultedPools.Forget(pool.Metadata.Uid));
        var again = DefaultedPools.Get(pool with { Metadata = pool.Metadata with { ResourceVersion = "2" } }, defaults);
        Assert.NotSame(first.Spec, again.Spec);
    }
}
