using BuildKitController.Core.Api.V1Alpha1.Validation;

namespace BuildKitController.Core.Tests.Api.V1Alpha1.Validation;

public sealed class ResourceQuantityTests
{
    [Theory]
    [InlineData("1", "1")]
    [InlineData("500m", "0.5")]
    [InlineData("0.5", "0.5")]
    [InlineData(".5", "0.5")]
    [InlineData("1.", "1")]
    [InlineData("+2", "2")]
    [InlineData("-2", "-2")]
    [InlineData("100n", "0.0000001")]
    [InlineData("100u", "0.0001")]
    [InlineData("2k", "2000")]
    [InlineData("2M", "2000000")]
    [InlineData("2G", "2000000000")]
    [InlineData("1T", "1000000000000")]
    [InlineData("1P", "1000000000000000")]
    [InlineData("1E", "1000000000000000000")]
    [InlineData("1Ki", "1024")]
    [InlineData("512Mi", "536870912")]
    [InlineData("2Gi", "2147483648")]
    [InlineData("1Ti", "1099511627776")]
    [InlineData("1Pi", "1125899906842624")]
    [InlineData("1Ei", "1152921504606846976")]
    [InlineData("1e3", "1000")]
    [InlineData("1E3", "1000")]
    [InlineData("12e-3", "0.012")]
    [InlineData("1.5Gi", "1610612736")]
    public void Quantities_parse_to_their_value(string text, string expected)
    {
        Assert.True(ResourceQuantity.TryParse(text, out var value));
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Gi")]
    [InlineData("1 Gi")]
    [InlineData("1GB")]
    [InlineData("1gi")]
    [InlineData("1K")]
    [InlineData("1.5.5")]
    [InlineData("one")]
    [InlineData("1e")]
    [InlineData("1e1.5")]
    [InlineData("1e99")]
    [InlineData(" 1")]
    public void Malformed_quantities_are_rejected(string text)
    {
        Assert.False(ResourceQuantity.TryParse(text, out _));
    }

    [Fact]
    public void The_CRD_pattern_and_the_parser_agree()
    {
        var pattern = new System.Text.RegularExpressions.Regex(ResourceQuantity.Pattern);
        string[] samples = ["1", "500m", ".5", "1.", "2Gi", "1e3", "12e-3", "1GB", "Gi", "1 Gi", "1gi", "-1", "+1.5k", "1e1.5"];

        foreach (var sample in samples.Where(s => s != "1e1.5"))
        {
            Assert.Equal(pattern.IsMatch(sample), ResourceQuantity.TryParse(sample, out _));
        }
    }
}
