using BuildKitController.Core.Api.V1Alpha1;
using BuildKitController.Core.Api.V1Alpha1.Defaulting;

namespace BuildKitController.Core.Tests.Api.V1Alpha1.Defaulting;

public sealed class ResourcePresetsTests
{
    [Theory]
    [InlineData("sm", "500m", "512Mi", "2", "2Gi")]
    [InlineData("md", "1", "2Gi", "4", "4Gi")]
    [InlineData("lg", "2", "4Gi", "8", "8Gi")]
    [InlineData("xl", "4", "8Gi", "16", "16Gi")]
    public void Presets_are_those_of_the_upstream_README(string size, string requestCpu, string requestMemory, string limitCpu, string limitMemory)
    {
        var preset = ResourcePresets.Get(size);

        Assert.Equal(new Dictionary<string, string> { ["cpu"] = requestCpu, ["memory"] = requestMemory }, preset.Requests);
        Assert.Equal(new Dictionary<string, string> { ["cpu"] = limitCpu, ["memory"] = limitMemory }, preset.Limits);
    }

    [Fact]
    public void Every_size_has_a_preset_and_md_is_the_default()
    {
        Assert.All(ResourceSizes.All, size => Assert.True(ResourcePresets.IsKnown(size)));
        Assert.Equal("md", ResourcePresets.DefaultSize);
    }

    [Theory]
    [InlineData("xxl")]
    [InlineData("MD")]
    [InlineData("")]
    public void Unknown_sizes_are_refused(string size)
    {
        Assert.False(ResourcePresets.IsKnown(size));
        Assert.Throws<ArgumentException>(() => ResourcePresets.Get(size));
    }

    [Fact]
    public void Each_call_returns_a_fresh_copy()
    {
        var first = ResourcePresets.Get("sm");
        first.Requests!["cpu"] = "9";

        Assert.Equal("500m", ResourcePresets.Get("sm").Requests!["cpu"]);
    }
}
