using BuildKitController.Core.Time;

namespace BuildKitController.Core.Tests.Time;

public sealed class GoDurationTests
{
    [Theory]
    [InlineData("0", 0L)]
    [InlineData("+0", 0L)]
    [InlineData("-0", 0L)]
    [InlineData("0s", 0L)]
    [InlineData("5s", 5_000_000_000L)]
    [InlineData("30m", 1_800_000_000_000L)]
    [InlineData("1h", 3_600_000_000_000L)]
    [InlineData("1h30m", 5_400_000_000_000L)]
    [InlineData("1.5h", 5_400_000_000_000L)]
    [InlineData("720h", 2_592_000_000_000_000L)]
    [InlineData("8760h", 31_536_000_000_000_000L)]
    [InlineData("90s", 90_000_000_000L)]
    [InlineData("300ms", 300_000_000L)]
    [InlineData("10us", 10_000L)]
    [InlineData("10µs", 10_000L)]
    [InlineData("10μs", 10_000L)]
    [InlineData("7ns", 7L)]
    [InlineData(".5s", 500_000_000L)]
    [InlineData("1.s", 1_000_000_000L)]
    [InlineData("1h2m3s4ms5us6ns", 3_723_004_005_006L)]
    [InlineData("39h9m14.425s", 140_954_425_000_000L)]
    [InlineData("-1.5h", -5_400_000_000_000L)]
    [InlineData("+5m", 300_000_000_000L)]
    [InlineData("0.3333333333333333333h", 1_200_000_000_000L)]
    [InlineData("9223372036854775807ns", long.MaxValue)]
    [InlineData("-9223372036854775808ns", long.MinValue)]
    [InlineData("2562047h47m16.854775807s", long.MaxValue)]
    public void Valid_durations_parse_to_Go_nanoseconds(string text, long expected)
    {
        Assert.True(GoDuration.TryParseNanoseconds(text, out var nanoseconds));
        Assert.Equal(expected, nanoseconds);
    }

    [Theory]
    [InlineData("")]
    [InlineData("3")]
    [InlineData("-")]
    [InlineData("s")]
    [InlineData(".")]
    [InlineData("-.")]
    [InlineData(".s")]
    [InlineData("+.s")]
    [InlineData("1d")]
    [InlineData("1 h")]
    [InlineData(" 1h")]
    [InlineData("1h ")]
    [InlineData("1H")]
    [InlineData("1hh")]
    [InlineData("h1")]
    [InlineData("1h-30m")]
    [InlineData("garbage")]
    [InlineData("1.2.3s")]
    [InlineData("9223372036854775808ns")]
    [InlineData("9223372036854775807ns1ns")]
    [InlineData("3000000h")]
    public void Invalid_durations_are_rejected(string text)
    {
        Assert.False(GoDuration.TryParseNanoseconds(text, out _));
        Assert.False(GoDuration.TryParse(text, out _));
        Assert.NotNull(GoDuration.Explain(text));
        Assert.Throws<FormatException>(() => GoDuration.Parse(text));
    }

    [Fact]
    public void Null_is_not_a_duration()
    {
        Assert.False(GoDuration.TryParse(null, out _));
        Assert.NotNull(GoDuration.Explain(null));
    }

    [Fact]
    public void Explain_names_the_unknown_unit()
    {
        Assert.Equal("unknown unit \"d\" in duration \"1d\"", GoDuration.Explain("1d"));
        Assert.Equal("missing unit in duration \"3\"", GoDuration.Explain("3"));
        Assert.Null(GoDuration.Explain("3s"));
    }

    [Fact]
    public void TimeSpan_results_are_truncated_to_ticks()
    {
        Assert.Equal(TimeSpan.FromMinutes(90), GoDuration.Parse("1h30m"));
        Assert.Equal(TimeSpan.FromTicks(1), GoDuration.Parse("150ns"));
        Assert.Equal(-TimeSpan.FromSeconds(1), GoDuration.Parse("-1s"));
    }

    [Theory]
    [InlineData(0L, "0s")]
    [InlineData(1L, "1ns")]
    [InlineData(1_100L, "1.1µs")]
    [InlineData(2_200_000L, "2.2ms")]
    [InlineData(300_000_000L, "300ms")]
    [InlineData(3_300_000_000L, "3.3s")]
    [InlineData(90_000_000_000L, "1m30s")]
    [InlineData(3_600_000_000_000L, "1h0m0s")]
    [InlineData(5_400_000_000_000L, "1h30m0s")]
    [InlineData(4_000_000_000_000L, "1h6m40s")]
    [InlineData(140_954_425_000_000L, "39h9m14.425s")]
    [InlineData(-5_400_000_000_000L, "-1h30m0s")]
    [InlineData(long.MaxValue, "2562047h47m16.854775807s")]
    [InlineData(long.MinValue, "-2562047h47m16.854775808s")]
    public void Formatting_matches_Go(long nanoseconds, string expected)
    {
        Assert.Equal(expected, GoDuration.FormatNanoseconds(nanoseconds));
    }

    [Theory]
    [InlineData("1h30m")]
    [InlineData("720h")]
    [InlineData("2.5s")]
    [InlineData("1m30s")]
    [InlineData("300ms")]
    public void Formatted_durations_parse_back_to_the_same_value(string text)
    {
        var value = GoDuration.Parse(text);

        Assert.Equal(value, GoDuration.Parse(GoDuration.Format(value)));
    }
}
