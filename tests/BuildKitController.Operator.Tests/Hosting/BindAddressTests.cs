using System.Net;
using BuildKitController.Operator.Hosting;

namespace BuildKitController.Operator.Tests.Hosting;

public sealed class BindAddressTests
{
    [Theory]
    [InlineData(":8080", "", 8080, null)]
    [InlineData("0.0.0.0:8080", "0.0.0.0", 8080, "0.0.0.0")]
    [InlineData("[::]:8080", "::", 8080, "::")]
    [InlineData("[::1]:9", "::1", 9, "::1")]
    [InlineData("127.0.0.1:0", "127.0.0.1", 0, "127.0.0.1")]
    [InlineData("localhost:8081", "localhost", 8081, "127.0.0.1")]
    [InlineData(" :65535 ", "", 65535, null)]
    public void Controller_runtime_addresses_parse(string text, string host, int port, string? listen)
    {
        Assert.True(BindAddress.TryParse(text, out var address, out var error), error);
        Assert.Equal(host, address.Host);
        Assert.Equal(port, address.Port);
        Assert.False(address.IsDisabled);
        Assert.Equal(listen is null ? null : IPAddress.Parse(listen), address.ListenAddress);
    }

    [Fact]
    public void Zero_alone_disables_the_server()
    {
        Assert.True(BindAddress.TryParse("0", out var address, out _));
        Assert.True(address.IsDisabled);
        Assert.Same(BindAddress.Disabled, address);
        Assert.Equal("0", address.ToString());
    }

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("8080", "HOST:PORT")]
    [InlineData(":http", "invalid port")]
    [InlineData(":65536", "invalid port")]
    [InlineData(":-1", "invalid port")]
    [InlineData("::1:8080", "brackets")]
    [InlineData("[::1:8080", "IPv6")]
    [InlineData("[127.0.0.1]:8080", "IPv6")]
    [InlineData("example.com:8080", "neither an IP address nor localhost")]
    [InlineData("1.2.3:80", "neither an IP address nor localhost")]
    public void Invalid_addresses_say_why(string text, string reason)
    {
        Assert.False(BindAddress.TryParse(text, out var address, out var error));
        Assert.Null(address);
        Assert.Contains(reason, error, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => BindAddress.Parse(text));
    }

    [Theory]
    [InlineData(":8080", ":8080")]
    [InlineData("[::]:80", "[::]:80")]
    [InlineData("LOCALHOST:1", "localhost:1")]
    public void Addresses_round_trip(string text, string expected) => Assert.Equal(expected, BindAddress.Parse(text).ToString());
}
