using BuildKitController.Core.Allocation;

namespace BuildKitController.Core.Tests.Allocation;

public sealed class AllocationTokenTests
{
    [Fact]
    public void Tokens_are_43_url_safe_characters_and_unique()
    {
        var tokens = Enumerable.Range(0, 1000).Select(_ => AllocationToken.Create()).ToList();

        Assert.All(tokens, t =>
        {
            Assert.Equal(AllocationToken.Length, t.Length);
            Assert.True(AllocationToken.IsWellFormed(t));
        });
        Assert.Equal(1000, tokens.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Hash_is_lowercase_hex_sha256_and_matches_only_its_token()
    {
        var token = AllocationToken.Create();
        var hash = AllocationToken.Hash(token);

        Assert.Equal(64, hash.Length);
        Assert.Equal(hash.ToLowerInvariant(), hash);
        Assert.True(AllocationToken.Matches(token, hash));
        Assert.True(AllocationToken.Matches(token, hash.ToUpperInvariant()));
        Assert.False(AllocationToken.Matches(AllocationToken.Create(), hash));
        Assert.Equal("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", AllocationToken.Hash("test"));
    }

    [Theory]
    [InlineData("alloc:abcdefghijklmnop_-0123", "abcdefghijklmnop_-0123")]
    [InlineData("alloc:short", null)]
    [InlineData("alloc:has space in it!!!!!!", null)]
    [InlineData("ALLOC:abcdefghijklmnop", null)]
    [InlineData("gateway", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void Common_names_yield_a_token_only_in_the_exact_format(string? commonName, string? expected) =>
        Assert.Equal(expected, AllocationToken.FromCommonName(commonName));

    [Theory]
    [InlineData("buildkit://allocation/abcdefghijklmnopqrst", "abcdefghijklmnopqrst")]
    [InlineData("buildkit://allocation/abcdefghijklmnopqrst/extra", null)]
    [InlineData("https://allocation/abcdefghijklmnopqrst", null)]
    [InlineData("buildkit://allocation/", null)]
    public void Uri_sans_yield_a_token_only_in_the_exact_format(string uri, string? expected) =>
        Assert.Equal(expected, AllocationToken.FromUri(uri));

    [Fact]
    public void Overlong_tokens_are_refused() =>
        Assert.Null(AllocationToken.FromCommonName("alloc:" + new string('a', AllocationToken.MaxLength + 1)));
}
