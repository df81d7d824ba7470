using BuildKitController.Core.Allocation;
using BuildKitController.Core.Api.V1Alpha1;

namespace BuildKitController.Core.Tests.Allocation;

public sealed class AllocationTtlTests
{
    [Theory]
    [InlineData(null, null, null, 60)]
    [InlineData("", null, null, 60)]
    [InlineData("30m", null, null, 30)]
    [InlineData("48h", null, null, 24 * 60)]
    [InlineData(null, "2h", null, 120)]
    [InlineData("3h", "2h", "150m", 150)]
    [InlineData(null, "5h", "4h", 240)]
    public void The_ttl_is_the_request_or_the_pool_default_capped_at_the_pool_maximum(string? requested, string? tokenTtl, string? maxTtl, int minutes)
    {
        var (ttl, error) = AllocationTtl.Resolve(requested, new GatewayConfig { TokenTtl = tokenTtl, MaxTokenTtl = maxTtl });
        Assert.Null(error);
        Assert.Equal(TimeSpan.FromMinutes(minutes), ttl);
    }

    [Theory]
    [InlineData("-1h")]
    [InlineData("0s")]
    [InlineData("soon")]
    [InlineData("1 hour")]
    [InlineData("99999999999999999999h")]
    public void Malformed_zero_or_negative_ttls_are_errors(string requested)
    {
        var (_, error) = AllocationTtl.Resolve(requested, null);
        Assert.NotNull(error);
    }
}
