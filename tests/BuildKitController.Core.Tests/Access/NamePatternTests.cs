using BuildKitController.Core.Access;

namespace BuildKitController.Core.Tests.Access;

public sealed class NamePatternTests
{
    [Theory]
    [InlineData("*", "anything", true)]
    [InlineData("*", "", true)]
    [InlineData("ci-*", "ci-main", true)]
    [InlineData("ci-*", "ci-", true)]
    [InlineData("ci-*", "cd-main", false)]
    [InlineData("ci-*", "CI-main", false)]
    [InlineData("system:serviceaccount:ci:*", "system:serviceaccount:ci:builder", true)]
    [InlineData("exact", "exact", true)]
    [InlineData("exact", "exactly", false)]
    [InlineData("a*b", "a*b", true)]
    [InlineData("a*b", "axb", false)]
    public void Patterns_match_star_prefix_or_exactly(string pattern, string value, bool expected) =>
        Assert.Equal(expected, NamePattern.Matches(pattern, value));

    [Fact]
    public void MatchesAny_is_false_for_no_patterns()
    {
        Assert.False(NamePattern.MatchesAny(null, "x"));
        Assert.False(NamePattern.MatchesAny([], "x"));
        Assert.True(NamePattern.MatchesAny(["y", "x*"], "xz"));
    }
}
