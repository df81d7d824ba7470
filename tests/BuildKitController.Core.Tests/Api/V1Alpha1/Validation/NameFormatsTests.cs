using BuildKitController.Core.Api.V1Alpha1.Validation;

namespace BuildKitController.Core.Tests.Api.V1Alpha1.Validation;

public sealed class NameFormatsTests
{
    [Theory]
    [InlineData("a", true)]
    [InlineData("a-1", true)]
    [InlineData("1a", true)]
    [InlineData("A", false)]
    [InlineData("a_b", false)]
    [InlineData("-a", false)]
    [InlineData("a-", false)]
    [InlineData("a.b", false)]
    [InlineData("", false)]
    public void Dns1123_labels(string value, bool expected) => Assert.Equal(expected, NameFormats.IsDns1123Label(value));

    [Fact]
    public void Labels_are_at_most_63_characters()
    {
        Assert.True(NameFormats.IsDns1123Label(new string('a', 63)));
        Assert.False(NameFormats.IsDns1123Label(new string('a', 64)));
    }

    [Theory]
    [InlineData("example.com", true)]
    [InlineData("a.b-c.d", true)]
    [InlineData("a..b", false)]
    [InlineData(".a", false)]
    [InlineData("a.", false)]
    [InlineData("Example.com", false)]
    public void Dns1123_subdomains(string value, bool expected) => Assert.Equal(expected, NameFormats.IsDns1123Subdomain(value));

    [Theory]
    [InlineData("pool", true)]
    [InlineData("1pool", false)]
    [InlineData("pool-1", true)]
    public void Dns1035_labels_start_with_a_letter(string value, bool expected) => Assert.Equal(expected, NameFormats.IsDns1035Label(value));

    [Theory]
    [InlineData("*.example.com", true)]
    [InlineData("example.com", true)]
    [InlineData("*", false)]
    [InlineData("a.*.com", false)]
    [InlineData("**.example.com", false)]
    public void Wildcard_hostnames(string value, bool expected) => Assert.Equal(expected, NameFormats.IsWildcardHostname(value));

    [Theory]
    [InlineData("app", true)]
    [InlineData("kubernetes.io/arch", true)]
    [InlineData("karpenter.sh/do-not-disrupt", true)]
    [InlineData("My_Key.v1", true)]
    [InlineData("/x", false)]
    [InlineData("x/", false)]
    [InlineData("Bad.Prefix/x", false)]
    [InlineData("a/b/c", false)]
    [InlineData("-x", false)]
    [InlineData("", false)]
    public void Qualified_names(string value, bool expected) => Assert.Equal(expected, NameFormats.IsQualifiedName(value));

    [Theory]
    [InlineData("", true)]
    [InlineData("v1.2_3-x", true)]
    [InlineData("-v", false)]
    [InlineData("a b", false)]
    public void Label_values(string value, bool expected) => Assert.Equal(expected, NameFormats.IsLabelValue(value));

    [Theory]
    [InlineData("10.0.0.0/8", true)]
    [InlineData("0.0.0.0/0", true)]
    [InlineData("192.168.1.1/32", true)]
    [InlineData("2001:db8::/32", true)]
    [InlineData("10.0.0.0/33", false)]
    [InlineData("2001:db8::/129", false)]
    [InlineData("10.0.0.0", false)]
    [InlineData("10.0.0.0/", false)]
    [InlineData("/8", false)]
    [InlineData("10.0.0.0/-1", false)]
    [InlineData("host/8", false)]
    public void Cidr_blocks(string value, bool expected) => Assert.Equal(expected, NameFormats.IsCidr(value));

    [Theory]
    [InlineData("203.0.113.10", true)]
    [InlineData("2001:db8::1", true)]
    [InlineData("example.com", false)]
    [InlineData("10.0.0.0/8", false)]
    public void IP_addresses(string value, bool expected) => Assert.Equal(expected, NameFormats.IsIPAddress(value));
}
