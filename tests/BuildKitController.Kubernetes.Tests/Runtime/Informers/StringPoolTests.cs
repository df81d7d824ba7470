using BuildKitController.Kubernetes.Runtime.Informers;

namespace BuildKitController.Kubernetes.Tests.Runtime.Informers;

public sealed class StringPoolTests
{
    private static string Fresh(string value) => new(value.AsSpan());

    [Fact]
    public void Equal_strings_come_back_as_one_instance()
    {
        var pool = new StringPool();
        var first = pool.Get(Fresh("app.kubernetes.io/managed-by"));
        var second = pool.Get(Fresh("app.kubernetes.io/managed-by"));

        Assert.Same(first, second);
        Assert.Equal(1, pool.Count);
        Assert.Null(pool.Get((string?)null));
    }

    [Fact]
    public void Long_strings_and_strings_past_the_capacity_are_not_pooled()
    {
        var pool = new StringPool(capacity: 2, maxLength: 8);
        var longer = Fresh("123456789");
        Assert.Same(longer, pool.Get(longer));
        Assert.NotSame(pool.Get(Fresh("123456789")), pool.Get(Fresh("123456789")));

        pool.Get("a");
        pool.Get("b");
        var third = Fresh("c");
        Assert.Same(third, pool.Get(third));
        Assert.NotSame(pool.Get(Fresh("c")), pool.Get(Fresh("c")));
        Assert.Equal(2, pool.Count);
        Assert.Same(pool.Get(Fresh("a")), pool.Get(Fresh("a")));
    }

    [Fact]
    public void A_dictionary_copy_shares_keys_and_short_values()
    {
        var pool = new StringPool(maxLength: 16);
        var values = new Dictionary<string, string> { [Fresh("pool")] = Fresh("ci"), [Fresh("hash")] = Fresh(new string('f', 64)) };

        var shared = pool.Get(values);
        var again = pool.Get(new Dictionary<string, string> { [Fresh("pool")] = Fresh("ci"), [Fresh("hash")] = Fresh(new string('f', 64)) });

        Assert.NotSame(values, shared);
        Assert.Equal(values, shared);
        Assert.Same(shared.Keys.First(k => k == "pool"), again.Keys.First(k => k == "pool"));
        Assert.Same(shared["pool"], again["pool"]);
        Assert.NotSame(shared["hash"], again["hash"]);
    }
}
