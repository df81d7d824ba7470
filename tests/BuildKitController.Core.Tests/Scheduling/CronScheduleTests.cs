using BuildKitController.Core.Scheduling;

namespace BuildKitController.Core.Tests.Scheduling;

public sealed class CronScheduleTests
{
    // A US-Eastern-like zone: UTC-5, daylight saving (UTC-4) from the 2nd Sunday of March 02:00 to the 1st Sunday of
    // November 02:00. In 2025: spring forward on March 9, fall back on November 2.
    private static readonly TimeZoneInfo Eastern = TimeZoneInfo.CreateCustomTimeZone(
        "Test/Eastern",
        TimeSpan.FromHours(-5),
        "Test Eastern",
        "EST",
        "EDT",
        [
            TimeZoneInfo.AdjustmentRule.CreateAdjustmentRule(
                new DateTime(2000, 1, 1),
                new DateTime(2099, 12, 31),
                TimeSpan.FromHours(1),
                TimeZoneInfo.TransitionTime.CreateFloatingDateRule(new DateTime(1, 1, 1, 2, 0, 0), 3, 2, DayOfWeek.Sunday),
                TimeZoneInfo.TransitionTime.CreateFloatingDateRule(new DateTime(1, 1, 1, 2, 0, 0), 11, 1, DayOfWeek.Sunday)),
        ]);

    [Theory]
    [InlineData("*/15 * * * *", "2025-01-01T10:07:00Z", "2025-01-01T10:15:00Z")]
    [InlineData("*/15 * * * *", "2025-01-01T10:15:00Z", "2025-01-01T10:30:00Z")]
    [InlineData("*/15 * * * *", "2025-01-01T23:59:30Z", "2025-01-02T00:00:00Z")]
    [InlineData("0 18 * * 1-5", "2025-01-03T18:00:00Z", "2025-01-06T18:00:00Z")]
    [InlineData("0 18 * * mon-FRI", "2025-01-03T17:59:59Z", "2025-01-03T18:00:00Z")]
    [InlineData("0 0 * * 0,6", "2025-01-01T00:00:00Z", "2025-01-04T00:00:00Z")]
    [InlineData("0 0 * * 7", "2025-01-01T00:00:00Z", "2025-01-05T00:00:00Z")]
    [InlineData("0 0 * * sun", "2025-01-01T00:00:00Z", "2025-01-05T00:00:00Z")]
    [InlineData("0 0 * * 5-7", "2025-01-04T12:00:00Z", "2025-01-05T00:00:00Z")]
    [InlineData("0 0 1 jan *", "2025-01-01T00:00:00Z", "2026-01-01T00:00:00Z")]
    [InlineData("0 0 31 * *", "2025-01-31T00:00:00Z", "2025-03-31T00:00:00Z")]
    [InlineData("0 0 29 2 *", "2025-03-01T00:00:00Z", "2028-02-29T00:00:00Z")]
    [InlineData("10-30/10 * * * *", "2025-01-01T10:20:00Z", "2025-01-01T10:30:00Z")]
    [InlineData("10-30/10 * * * *", "2025-01-01T10:30:00Z", "2025-01-01T11:10:00Z")]
    [InlineData("5/20 * * * *", "2025-01-01T10:26:00Z", "2025-01-01T10:45:00Z")]
    [InlineData("0 9,17 * * *", "2025-01-01T09:00:00Z", "2025-01-01T17:00:00Z")]
    [InlineData("0 0 1 */3 *", "2025-02-15T00:00:00Z", "2025-04-01T00:00:00Z")]
    [InlineData("@hourly", "2025-01-01T10:00:00Z", "2025-01-01T11:00:00Z")]
    [InlineData("@daily", "2025-01-01T10:00:00Z", "2025-01-02T00:00:00Z")]
    [InlineData("@midnight", "2025-01-01T10:00:00Z", "2025-01-02T00:00:00Z")]
    [InlineData("@weekly", "2025-01-01T10:00:00Z", "2025-01-05T00:00:00Z")]
    [InlineData("@monthly", "2025-01-01T10:00:00Z", "2025-02-01T00:00:00Z")]
    [InlineData("@yearly", "2025-01-01T10:00:00Z", "2026-01-01T00:00:00Z")]
    [InlineData("@annually", "2025-01-01T10:00:00Z", "2026-01-01T00:00:00Z")]
    public void Next_occurrence_in_UTC(string expression, string after, string expected)
    {
        var next = CronSchedule.Parse(expression).GetNextOccurrence(DateTimeOffset.Parse(after), TimeZoneInfo.Utc);

        Assert.Equal(DateTimeOffset.Parse(expected), next);
    }

    [Theory]
    // Both day fields restricted: the 13th OR a Friday.
    [InlineData("0 0 13 * 5", "2025-06-01T00:00:00Z", "2025-06-06T00:00:00Z")]
    [InlineData("0 0 13 * 5", "2025-06-10T00:00:00Z", "2025-06-13T00:00:00Z")]
    [InlineData("0 0 13 * 5", "2025-06-13T00:00:00Z", "2025-06-20T00:00:00Z")]
    [InlineData("0 0 13 * 5", "2025-07-12T00:00:00Z", "2025-07-13T00:00:00Z")]
    // Only one restricted: that one decides.
    [InlineData("0 0 13 * *", "2025-06-01T00:00:00Z", "2025-06-13T00:00:00Z")]
    [InlineData("0 0 * * 5", "2025-06-01T00:00:00Z", "2025-06-06T00:00:00Z")]
    // A field starting with * counts as unrestricted even with a step: odd days AND Fridays.
    [InlineData("0 0 */2 * 5", "2025-06-01T00:00:00Z", "2025-06-13T00:00:00Z")]
    // February 29 OR a Monday, in February only.
    [InlineData("0 0 29 2 1", "2025-03-01T00:00:00Z", "2026-02-02T00:00:00Z")]
    [InlineData("0 0 29 2 1", "2028-02-28T00:00:00Z", "2028-02-29T00:00:00Z")]
    public void Day_of_month_and_day_of_week_follow_the_Vixie_rule(string expression, string after, string expected)
    {
        var next = CronSchedule.Parse(expression).GetNextOccurrence(DateTimeOffset.Parse(after), TimeZoneInfo.Utc);

        Assert.Equal(DateTimeOffset.Parse(expected), next);
    }

    [Fact]
    public void Occurrences_are_computed_in_the_wall_clock_of_the_zone()
    {
        var schedule = CronSchedule.Parse("0 18 * * 1-5");

        var winter = schedule.GetNextOccurrence(DateTimeOffset.Parse("2025-01-06T12:00:00Z"), Eastern);
        var summer = schedule.GetNextOccurrence(DateTimeOffset.Parse("2025-07-07T12:00:00Z"), Eastern);

        Assert.Equal(DateTimeOffset.Parse("2025-01-06T18:00:00-05:00"), winter);
        Assert.Equal(TimeSpan.FromHours(-5), winter!.Value.Offset);
        Assert.Equal(DateTimeOffset.Parse("2025-07-07T18:00:00-04:00"), summer);
        Assert.Equal(TimeSpan.FromHours(-4), summer!.Value.Offset);
    }

    [Fact]
    public void A_fixed_time_skipped_by_spring_forward_fires_when_the_gap_ends()
    {
        var schedule = CronSchedule.Parse("30 2 * * *");

        var first = schedule.GetNextOccurrence(DateTimeOffset.Parse("2025-03-08T12:00:00-05:00"), Eastern);
        var second = schedule.GetNextOccurrence(first!.Value, Eastern);

        Assert.Equal(DateTimeOffset.Parse("2025-03-09T03:00:00-04:00"), first);
        Assert.Equal(DateTimeOffset.Parse("2025-03-10T02:30:00-04:00"), second);
    }

    [Fact]
    public void A_wildcard_hour_skips_the_spring_forward_gap()
    {
        var schedule = CronSchedule.Parse("30 * * * *");

        var next = schedule.GetNextOccurrence(DateTimeOffset.Parse("2025-03-09T01:45:00-05:00"), Eastern);

        Assert.Equal(DateTimeOffset.Parse("2025-03-09T03:30:00-04:00"), next);
    }

    [Fact]
    public void A_fixed_time_repeated_by_fall_back_fires_once()
    {
        var schedule = CronSchedule.Parse("30 1 * * *");

        var first = schedule.GetNextOccurrence(DateTimeOffset.Parse("2025-11-02T00:00:00-04:00"), Eastern);
        var second = schedule.GetNextOccurrence(first!.Value, Eastern);
        var fromBetween = schedule.GetNextOccurrence(DateTimeOffset.Parse("2025-11-02T01:45:00-04:00"), Eastern);

        Assert.Equal(DateTimeOffset.Parse("2025-11-02T01:30:00-04:00"), first);
        Assert.Equal(DateTimeOffset.Parse("2025-11-03T01:30:00-05:00"), second);
        Assert.Equal(second, fromBetween);
    }

    [Fact]
    public void A_wildcard_hour_fires_in_both_passes_of_the_repeated_hour()
    {
        var schedule = CronSchedule.Parse("30 * * * *");

        var first = schedule.GetNextOccurrence(DateTimeOffset.Parse("2025-11-02T01:00:00-04:00"), Eastern);
        var second = schedule.GetNextOccurrence(first!.Value, Eastern);
        var third = schedule.GetNextOccurrence(second!.Value, Eastern);

        Assert.Equal(DateTimeOffset.Parse("2025-11-02T01:30:00-04:00"), first);
        Assert.Equal(DateTimeOffset.Parse("2025-11-02T01:30:00-05:00"), second);
        Assert.Equal(DateTimeOffset.Parse("2025-11-02T02:30:00-05:00"), third);
    }

    [Fact]
    public void Every_minute_walks_through_fall_back_in_instant_order()
    {
        var schedule = CronSchedule.Parse("* * * * *");
        var at = DateTimeOffset.Parse("2025-11-02T01:58:00-04:00");
        var seen = new List<DateTimeOffset>();
        for (var i = 0; i < 4; i++)
        {
            at = schedule.GetNextOccurrence(at, Eastern)!.Value;
            seen.Add(at);
        }

        Assert.Equal(
            [
                DateTimeOffset.Parse("2025-11-02T01:59:00-04:00"),
                DateTimeOffset.Parse("2025-11-02T01:00:00-05:00"),
                DateTimeOffset.Parse("2025-11-02T01:01:00-05:00"),
                DateTimeOffset.Parse("2025-11-02T01:02:00-05:00"),
            ],
            seen);
    }

    [Theory]
    [InlineData("0 18 * * 1-5", "2025-01-04T12:00:00Z", "2025-01-03T18:00:00Z")]
    [InlineData("0 18 * * 1-5", "2025-01-03T18:00:00Z", "2025-01-02T18:00:00Z")]
    [InlineData("0 18 * * 1-5", "2025-01-03T18:00:01Z", "2025-01-03T18:00:00Z")]
    [InlineData("*/15 * * * *", "2025-01-01T00:07:00Z", "2025-01-01T00:00:00Z")]
    [InlineData("*/15 * * * *", "2025-01-01T00:00:00Z", "2024-12-31T23:45:00Z")]
    [InlineData("0 0 29 2 *", "2028-02-28T00:00:00Z", "2024-02-29T00:00:00Z")]
    public void Previous_occurrence_in_UTC(string expression, string before, string expected)
    {
        var previous = CronSchedule.Parse(expression).GetPreviousOccurrence(DateTimeOffset.Parse(before), TimeZoneInfo.Utc);

        Assert.Equal(DateTimeOffset.Parse(expected), previous);
    }

    [Fact]
    public void Previous_occurrence_respects_daylight_saving()
    {
        var evening = CronSchedule.Parse("0 18 * * *");
        var gap = CronSchedule.Parse("30 2 * * *");

        Assert.Equal(DateTimeOffset.Parse("2025-03-08T18:00:00-05:00"), evening.GetPreviousOccurrence(DateTimeOffset.Parse("2025-03-09T17:00:00-04:00"), Eastern));
        Assert.Equal(DateTimeOffset.Parse("2025-03-09T03:00:00-04:00"), gap.GetPreviousOccurrence(DateTimeOffset.Parse("2025-03-09T04:00:00-04:00"), Eastern));
        Assert.Equal(DateTimeOffset.Parse("2025-11-02T01:30:00-04:00"), CronSchedule.Parse("30 1 * * *").GetPreviousOccurrence(DateTimeOffset.Parse("2025-11-02T03:00:00-05:00"), Eastern));
    }

    [Fact]
    public void Time_zone_prefix_is_recorded_and_does_not_change_the_fields()
    {
        var withZone = CronSchedule.Parse("CRON_TZ=Europe/Berlin 0 19 * * mon-fri");
        var withTz = CronSchedule.Parse("TZ=UTC @daily");

        Assert.Equal("Europe/Berlin", withZone.TimeZoneId);
        Assert.Equal("UTC", withTz.TimeZoneId);
        Assert.Null(CronSchedule.Parse("0 19 * * *").TimeZoneId);
        Assert.True(withZone.Matches(new DateTime(2025, 1, 6, 19, 0, 0)));
        Assert.True(withTz.Matches(new DateTime(2025, 1, 6, 0, 0, 0)));
    }

    [Theory]
    [InlineData("0 19 * * 1-5", "2025-01-06T19:00:00", true)]
    [InlineData("0 19 * * 1-5", "2025-01-06T19:00:59", true)]
    [InlineData("0 19 * * 1-5", "2025-01-06T19:01:00", false)]
    [InlineData("0 19 * * 1-5", "2025-01-05T19:00:00", false)]
    [InlineData("* * * * ?", "2025-01-05T03:04:00", true)]
    [InlineData("0 0 13 * fri", "2025-06-06T00:00:00", true)]
    [InlineData("0 0 13 * fri", "2025-06-13T00:00:00", true)]
    [InlineData("0 0 13 * fri", "2025-06-12T00:00:00", false)]
    public void Matches_checks_a_wall_clock_time(string expression, string wallClock, bool expected)
    {
        Assert.Equal(expected, CronSchedule.Parse(expression).Matches(DateTime.Parse(wallClock, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("   ", "empty")]
    [InlineData("* * * *", "expected 5 fields")]
    [InlineData("0 * * * * *", "expected 5 fields")]
    [InlineData("60 * * * *", "minute: 60 is out of range 0-59")]
    [InlineData("* 24 * * *", "hour: 24 is out of range 0-23")]
    [InlineData("* * 0 * *", "day-of-month: 0 is out of range 1-31")]
    [InlineData("* * 32 * *", "day-of-month")]
    [InlineData("* * * 13 *", "month: 13 is out of range 1-12")]
    [InlineData("* * * 0 *", "month")]
    [InlineData("* * * * 8", "day-of-week: 8 is out of range 0-7")]
    [InlineData("5-1 * * * *", "ends before it starts")]
    [InlineData("*/0 * * * *", "invalid step")]
    [InlineData("*/x * * * *", "invalid step")]
    [InlineData("1,,2 * * * *", "empty list item")]
    [InlineData("1- * * * *", "is not a number")]
    [InlineData("a * * * *", "is not a number")]
    [InlineData("* * * * mon-xyz", "is not a number or a name")]
    [InlineData("* * * jan-fri *", "is not a number or a name")]
    [InlineData("* * L * *", "is not a number")]
    [InlineData("* * * * 5#2", "is not a number")]
    [InlineData("-1 * * * *", "is not a number")]
    [InlineData("0 0 30 2 *", "never occurs")]
    [InlineData("0 0 31 4,6,9,11 *", "never occurs")]
    [InlineData("@reboot", "unsupported descriptor")]
    [InlineData("@every 1h", "expected 5 fields")]
    [InlineData("CRON_TZ= 0 0 * * *", "no zone")]
    public void Invalid_expressions_are_rejected_with_a_reason(string expression, string reason)
    {
        Assert.False(CronSchedule.TryParse(expression, out var schedule, out var error));
        Assert.Null(schedule);
        Assert.Contains(reason, error, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => CronSchedule.Parse(expression));
    }

    [Fact]
    public void Null_is_not_an_expression()
    {
        Assert.False(CronSchedule.TryParse(null, out _, out var error));
        Assert.Equal("cron expression is empty", error);
    }

    [Theory]
    [InlineData("0 0 31 * *")]
    [InlineData("0 0 30 2 1")]
    [InlineData("  0  0  *  *  *  ")]
    [InlineData("0 0 * * 0-7")]
    [InlineData("0-59/7 0-23/5 1-31/3 1-12/2 0-6/2")]
    [InlineData("0 0 ? * ?")]
    [InlineData("0 0 1 JAN-dec *")]
    public void Unusual_but_valid_expressions_parse(string expression)
    {
        Assert.True(CronSchedule.TryParse(expression, out var schedule, out var error), error);
        Assert.Equal(expression, schedule.ToString());
        Assert.NotNull(schedule.GetNextOccurrence(DateTimeOffset.Parse("2025-01-01T00:00:00Z"), TimeZoneInfo.Utc));
    }

    [Fact]
    public void Rare_schedules_are_found_years_ahead_and_backwards()
    {
        var leapDay = CronSchedule.Parse("0 12 29 2 *");

        Assert.Equal(DateTimeOffset.Parse("2032-02-29T12:00:00Z"), leapDay.GetNextOccurrence(DateTimeOffset.Parse("2028-02-29T12:00:00Z"), TimeZoneInfo.Utc));
        Assert.Equal(DateTimeOffset.Parse("2024-02-29T12:00:00Z"), leapDay.GetPreviousOccurrence(DateTimeOffset.Parse("2028-02-29T11:59:00Z"), TimeZoneInfo.Utc));
    }

    [Fact]
    public void Next_occurrence_accepts_any_offset_for_the_starting_instant()
    {
        var schedule = CronSchedule.Parse("0 * * * *");

        var next = schedule.GetNextOccurrence(DateTimeOffset.Parse("2025-01-01T10:30:00+05:30"), TimeZoneInfo.Utc);

        Assert.Equal(DateTimeOffset.Parse("2025-01-01T06:00:00Z"), next);
    }
}
