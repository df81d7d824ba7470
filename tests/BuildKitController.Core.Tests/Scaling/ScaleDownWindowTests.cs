using BuildKitController.Core.Scaling;
using BuildKitController.Core.Scheduling;

namespace BuildKitController.Core.Tests.Scaling;

public sealed class ScaleDownWindowTests
{
    private static DateTimeOffset At(int day, int hour, int minute) => new(2026, 6, day, hour, minute, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(1, 18, 59, false)]
    [InlineData(1, 19, 0, true)]
    [InlineData(1, 23, 30, true)]
    [InlineData(2, 6, 59, true)]
    [InlineData(2, 7, 0, false)]
    [InlineData(2, 12, 0, false)]
    public void A_start_time_with_a_duration_opens_a_window(int day, int hour, int minute, bool active)
    {
        var schedule = CronSchedule.Parse("0 19 * * *");
        Assert.Equal(active, ScaleDownWindow.IsActive(schedule, TimeSpan.FromHours(12), At(day, hour, minute), TimeZoneInfo.Utc));
    }

    [Theory]
    [InlineData(1, 18, 59, false)]
    [InlineData(1, 19, 0, true)]
    [InlineData(1, 23, 59, true)]
    [InlineData(2, 3, 15, true)]
    [InlineData(2, 7, 0, false)]
    public void Without_a_duration_every_matching_minute_is_in_the_window(int day, int hour, int minute, bool active)
    {
        var schedule = CronSchedule.Parse("* 19-23,0-6 * * *");
        Assert.Equal(active, ScaleDownWindow.IsActive(schedule, TimeSpan.Zero, At(day, hour, minute), TimeZoneInfo.Utc));
    }

    [Fact]
    public void Next_change_points_at_the_window_end_or_the_next_start()
    {
        var schedule = CronSchedule.Parse("0 19 * * *");

        Assert.Equal(TimeSpan.FromHours(1), ScaleDownWindow.NextChange(schedule, TimeSpan.FromHours(12), At(1, 18, 0), TimeZoneInfo.Utc));
        Assert.Equal(TimeSpan.FromHours(2), ScaleDownWindow.NextChange(schedule, TimeSpan.FromHours(12), At(2, 5, 0), TimeZoneInfo.Utc));
    }
}
