using BuildKitController.Kubernetes.Models;
using BuildKitController.Kubernetes.Models.CoreV1;
using BuildKitController.Kubernetes.Runtime.Informers;
using BuildKitController.Kubernetes.Runtime.Queue;
using BuildKitController.Testing.Time;

namespace BuildKitController.Kubernetes.Tests.Runtime.Informers;

public sealed class EnqueueHandlerTests
{
    private readonly ManualTimeProvider _time = new();

    [Fact]
    public void A_filtered_update_queues_nothing_while_adds_and_deletes_always_queue()
    {
        using var queue = new WorkQueue<ObjectKey>(_time);
        var handler = new EnqueueHandler<ConfigMap>(queue, c => [ObjectKey.Of(c)], ChangePredicates.SpecOrMetadataChanged);
        var before = Map(generation: 1);
        var statusOnly = before with { Metadata = before.Metadata with { ResourceVersion = "2" } };

        handler.OnUpdate(before, statusOnly);
        Assert.Equal(0, queue.Count);

        handler.OnAdd(before);
        handler.OnDelete(statusOnly);
        Assert.Equal(1, queue.Count);
    }

    [Fact]
    public void A_resync_of_an_unchanged_object_passes_the_filter()
    {
        var same = Map(generation: 1);

        Assert.True(ChangePredicates.SpecOrMetadataChanged(same, same));
    }

    [Fact]
    public void Without_a_filter_every_update_queues()
    {
        using var queue = new WorkQueue<ObjectKey>(_time);
        var handler = new EnqueueHandler<ConfigMap>(queue, c => [ObjectKey.Of(c)]);
        var before = Map(generation: 1);

        handler.OnUpdate(before, before with { Metadata = before.Metadata with { ResourceVersion = "2" } });

        Assert.Equal(1, queue.Count);
    }

    [Fact]
    public void A_status_only_write_is_not_a_change_for_dependants()
    {
        var before = Map(generation: 3, labels: new() { ["a"] = "1" });
        var after = before with { Metadata = before.Metadata with { ResourceVersion = "9", Labels = new() { ["a"] = "1" } } };

        Assert.False(ChangePredicates.SpecOrMetadataChanged(before, after));
    }

    [Theory]
    [InlineData("generation")]
    [InlineData("uid")]
    [InlineData("deletion")]
    [InlineData("label value")]
    [InlineData("label added")]
    [InlineData("annotation")]
    [InlineData("finalizer")]
    [InlineData("owner")]
    public void A_spec_identity_label_annotation_or_deletion_change_is_a_change(string what)
    {
        var before = Map(generation: 3, labels: new() { ["a"] = "1" });
        var meta = before.Metadata with { ResourceVersion = "9" };
        meta = what switch
        {
            "generation" => meta with { Generation = 4 },
            "uid" => meta with { Uid = "other" },
            "deletion" => meta with { DeletionTimestamp = DateTimeOffset.UnixEpoch },
            "label value" => meta with { Labels = new() { ["a"] = "2" } },
            "label added" => meta with { Labels = new() { ["a"] = "1", ["b"] = "1" } },
            "finalizer" => meta with { Finalizers = ["example.com/cleanup"] },
            "owner" => meta with { OwnerReferences = [new OwnerReference { ApiVersion = "v1", Kind = "ConfigMap", Name = "parent", Uid = "p1" }] },
            _ => meta with { Annotations = new() { ["note"] = "x" } },
        };

        Assert.True(ChangePredicates.SpecOrMetadataChanged(before, before with { Metadata = meta }));
    }

    private static ConfigMap Map(long generation, Dictionary<string, string>? labels = null) => new()
    {
        Metadata = new ObjectMeta { Name = "m", Namespace = "ns", Uid = "u1", ResourceVersion = "1", Generation = generation, Labels = labels },
    };
}
