using BuildKitController.Core.Allocation;

namespace BuildKitController.Core.Tests.Allocation;

public sealed class FairQueueTests
{
    private sealed record Item(string Name);

    [Fact]
    public void Owners_take_turns_and_each_owner_is_served_in_order()
    {
        var queue = new FairQueue<Item>(10);
        var a1 = new Item("a1");
        var a2 = new Item("a2");
        var a3 = new Item("a3");
        var b1 = new Item("b1");
        var c1 = new Item("c1");
        queue.TryEnqueue("a", a1);
        queue.TryEnqueue("a", a2);
        queue.TryEnqueue("a", a3);
        queue.TryEnqueue("b", b1);
        queue.TryEnqueue("c", c1);

        Assert.Equal(0, queue.PositionOf(a1));
        Assert.Equal(3, queue.PositionOf(a2));
        Assert.Equal(1, queue.PositionOf(b1));
        Assert.Equal(4, queue.PositionOf(a3));
        Assert.Equal(-1, queue.PositionOf(new Item("x")));
        Assert.Equal(["a1", "b1", "c1", "a2", "a3"], Drain(queue));
    }

    [Fact]
    public void The_line_is_bounded_and_a_caller_can_leave_it()
    {
        var queue = new FairQueue<Item>(2);
        var first = new Item("1");
        Assert.True(queue.TryEnqueue("a", first));
        Assert.True(queue.TryEnqueue("b", new Item("2")));
        Assert.False(queue.TryEnqueue("c", new Item("3")));

        Assert.True(queue.Remove("a", first));
        Assert.False(queue.Remove("a", first));
        Assert.Equal(1, queue.Count);
        Assert.True(queue.TryEnqueue("c", new Item("3")));
        Assert.Equal(["2", "3"], Drain(queue));
        Assert.Null(queue.Dequeue());
    }

    private static List<string> Drain(FairQueue<Item> queue)
    {
        var names = new List<string>();
        while (queue.Dequeue() is { } item)
        {
            names.Add(item.Name);
        }

        return names;
    }
}
