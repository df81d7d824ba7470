using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace BuildKitController.Core.Scheduling;

/// <summary>
/// A five-field cron schedule (<c>minute hour day-of-month month day-of-week</c>) with Vixie cron semantics.
/// </summary>
/// <remarks>
/// <para>Fields accept <c>*</c> (or <c>?</c>), numbers, ranges <c>a-b</c>, lists <c>a,b</c>, steps <c>*/n</c>,
/// <c>a-b/n</c> and <c>a/n</c> (from <c>a</c> to the end of the range), month names <c>jan</c>–<c>dec</c> and day names
/// <c>sun</c>–<c>sat</c> (case-insensitive). Day-of-week is 0–7, where both 0 and 7 are Sunday. The descriptors
/// <c>@yearly</c>, <c>@annually</c>, <c>@monthly</c>, <c>@weekly</c>, <c>@daily</c>, <c>@midnight</c> and
/// <c>@hourly</c> are accepted, and a leading <c>CRON_TZ=&lt;zone&gt;</c> or <c>TZ=&lt;zone&gt;</c> is recorded in
/// <see cref="TimeZoneId"/> (not resolved here).</para>
/// <para>Day rule: when both day-of-month and day-of-week are restricted (neither starts with <c>*</c>), a day matches
/// if <em>either</em> matches; otherwise both must match.</para>
/// <para>Daylight saving, evaluated in the wall clock of the zone passed in: a wall time skipped by a spring-forward
/// gap fires once at the end of the gap when the hour field is fixed, and not at all when the hour field is a wildcard.
/// A wall time repeated by a fall-back fires once (the first instance) when the hour field is fixed, and twice when
/// the hour field is a wildcard.</para>
/// </remarks>
public sealed class CronSchedule
{
    private const int MaxSearchDays = (366 * 8) + 2;
    private static readonly TimeSpan MaxClockShift = TimeSpan.FromHours(3);

    private static readonly Dictionary<string, string> Descriptors = new(StringComparer.OrdinalIgnoreCase)
    {
        ["@yearly"] = "0 0 1 1 *",
        ["@annually"] = "0 0 1 1 *",
        ["@monthly"] = "0 0 1 * *",
        ["@weekly"] = "0 0 * * 0",
        ["@daily"] = "0 0 * * *",
        ["@midnight"] = "0 0 * * *",
        ["@hourly"] = "0 * * * *",
    };

    private static readonly string[] MonthNames = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    private static readonly string[] DayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

    private readonly ulong _minutes;
    private readonly uint _hours;
    private readonly uint _daysOfMonth;
    private readonly ushort _months;
    private readonly byte _daysOfWeek;
    private readonly bool _dayOfMonthRestricted;
    private readonly bool _dayOfWeekRestricted;
    private readonly bool _hourWildcard;

    private CronSchedule(string expression, string? timeZoneId, ulong minutes, uint hours, uint daysOfMonth, ushort months, byte daysOfWeek, bool dayOfMonthRestricted, bool dayOfWeekRestricted, bool hourWildcard)
    {
        Expression = expression;
        TimeZoneId = timeZoneId;
        _minutes = minutes;
        _hours = hours;
        _daysOfMonth = daysOfMonth;
        _months = months;
        _daysOfWeek = daysOfWeek;
        _dayOfMonthRestricted = dayOfMonthRestricted;
        _dayOfWeekRestricted = dayOfWeekRestricted;
        _hourWildcard = hourWildcard;
    }

    /// <summary>The expression as given.</summary>
    public string Expression { get; }

    /// <summary>The zone of a <c>CRON_TZ=</c> or <c>TZ=</c> prefix, or null.</summary>
    public string? TimeZoneId { get; }

    /// <summary>Parses an expression; throws <see cref="FormatException"/> with the reason when it is invalid.</summary>
    public static CronSchedule Parse(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        return TryParse(expression, out var schedule, out var error) ? schedule : throw new FormatException(error);
    }

    /// <summary>Parses an expression; on failure <paramref name="error"/> says why.</summary>
    public static bool TryParse([NotNullWhen(true)] string? expression, [NotNullWhen(true)] out CronSchedule? schedule, [NotNullWhen(false)] out string? error)
    {
        schedule = null;
        if (string.IsNullOrWhiteSpace(expression))
        {
            error = "cron expression is empty";
            return false;
        }

        var tokens = expression.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        string? timeZone = null;
        if (tokens[0].StartsWith("CRON_TZ=", StringComparison.Ordinal) || tokens[0].StartsWith("TZ=", StringComparison.Ordinal))
        {
            timeZone = tokens[0][(tokens[0].IndexOf('=', StringComparison.Ordinal) + 1)..];
            if (timeZone.Length == 0)
            {
                error = "time zone prefix has no zone";
                return false;
            }

            tokens = tokens[1..];
        }

        if (tokens.Length == 1 && tokens[0].StartsWith('@'))
        {
            if (!Descriptors.TryGetValue(tokens[0], out var expanded))
            {
                error = $"unsupported descriptor \"{tokens[0]}\"";
                return false;
            }

            tokens = expanded.Split(' ');
        }

        if (tokens.Length != 5)
        {
            error = $"expected 5 fields (minute hour day-of-month month day-of-week), found {tokens.Length}";
            return false;
        }

        if (!TryParseField(tokens[0], 0, 59, null, "minute", out var minutes, out error)
            || !TryParseField(tokens[1], 0, 23, null, "hour", out var hours, out error)
            || !TryParseField(tokens[2], 1, 31, null, "day-of-month", out var daysOfMonth, out error)
            || !TryParseField(tokens[3], 1, 12, MonthNames, "month", out var months, out error)
            || !TryParseField(tokens[4], 0, 7, DayNames, "day-of-week", out var daysOfWeek, out error))
        {
            return false;
        }

        // 7 is Sunday too.
        if ((daysOfWeek & (1UL << 7)) != 0)
        {
            daysOfWeek = (daysOfWeek & ~(1UL << 7)) | 1;
        }

        var dayOfMonthRestricted = !IsStar(tokens[2]);
        var dayOfWeekRestricted = !IsStar(tokens[4]);
        if (dayOfMonthRestricted && !dayOfWeekRestricted && !AnyDayExists(daysOfMonth, months))
        {
            error = "the day-of-month never occurs in the selected months";
            return false;
        }

        schedule = new CronSchedule(
            expression,
            timeZone,
            minutes,
            (uint)hours,
            (uint)daysOfMonth,
            (ushort)months,
            (byte)daysOfWeek,
            dayOfMonthRestricted,
            dayOfWeekRestricted,
            IsStar(tokens[1]));
        error = null;
        return true;
    }

    /// <summary>Whether a wall-clock time (seconds ignored) matches the schedule.</summary>
    public bool Matches(DateTime wallClock) =>
        DayMatches(wallClock.Date)
        && (_hours & (1U << wallClock.Hour)) != 0
        && (_minutes & (1UL << wallClock.Minute)) != 0;

    /// <summary>
    /// The first instant strictly after <paramref name="after"/> at which the schedule fires in <paramref name="zone"/>,
    /// expressed with the zone's offset; null if it never fires (within eight years).
    /// </summary>
    public DateTimeOffset? GetNextOccurrence(DateTimeOffset after, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var localAfter = TimeZoneInfo.ConvertTime(after, zone).DateTime;
        var lowestWall = localAfter - MaxClockShift;
        DateTimeOffset? best = null;
        DateTime bestWall = default;
        var day = localAfter.Date.AddDays(-1);
        for (var i = 0; i < MaxSearchDays; i++, day = day.AddDays(1))
        {
            if (best is not null && day > bestWall + MaxClockShift)
            {
                break;
            }

            if (!DayMatches(day))
            {
                continue;
            }

            for (var hour = 0; hour < 24; hour++)
            {
                if ((_hours & (1U << hour)) == 0)
                {
                    continue;
                }

                for (var minute = 0; minute < 60; minute++)
                {
                    if ((_minutes & (1UL << minute)) == 0)
                    {
                        continue;
                    }

                    var wall = day.AddHours(hour).AddMinutes(minute);
                    if (wall < lowestWall)
                    {
                        continue;
                    }

                    if (best is not null && wall > bestWall + MaxClockShift)
                    {
                        return TimeZoneInfo.ConvertTime(best.Value, zone);
                    }

                    foreach (var instant in Resolve(wall, zone))
                    {
                        if (instant > after && (best is null || instant < best.Value))
                        {
                            best = instant;
                            bestWall = wall;
                        }
                    }
                }
            }
        }

        return best is null ? null : TimeZoneInfo.ConvertTime(best.Value, zone);
    }

    /// <summary>
    /// The last instant strictly before <paramref name="before"/> at which the schedule fired in <paramref name="zone"/>,
    /// expressed with the zone's offset; null if it did not fire (within eight years).
    /// </summary>
    public DateTimeOffset? GetPreviousOccurrence(DateTimeOffset before, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var localBefore = TimeZoneInfo.ConvertTime(before, zone).DateTime;
        var highestWall = localBefore + MaxClockShift;
        DateTimeOffset? best = null;
        DateTime bestWall = default;
        var day = localBefore.Date.AddDays(1);
        for (var i = 0; i < MaxSearchDays; i++, day = day.AddDays(-1))
        {
            if (best is not null && day.AddDays(1) < bestWall - MaxClockShift)
            {
                break;
            }

            if (!DayMatches(day))
            {
                continue;
            }

            for (var hour = 23; hour >= 0; hour--)
            {
                if ((_hours & (1U << hour)) == 0)
                {
                    continue;
                }

                for (var minute = 59; minute >= 0; minute--)
                {
                    if ((_minutes & (1UL << minute)) == 0)
                    {
                        continue;
                    }

                    var wall = day.AddHours(hour).AddMinutes(minute);
                    if (wall > highestWall)
                    {
                        continue;
                    }

                    if (best is not null && wall < bestWall - MaxClockShift)
                    {
                        return TimeZoneInfo.ConvertTime(best.Value, zone);
                    }

                    foreach (var instant in Resolve(wall, zone))
                    {
                        if (instant < before && (best is null || instant > best.Value))
                        {
                            best = instant;
                            bestWall = wall;
                        }
                    }
                }
            }
        }

        return best is null ? null : TimeZoneInfo.ConvertTime(best.Value, zone);
    }

    public override string ToString() => Expression;

    private bool DayMatches(DateTime date)
    {
        if ((_months & (1 << date.Month)) == 0)
        {
            return false;
        }

        var dayOfMonth = (_daysOfMonth & (1U << date.Day)) != 0;
        var dayOfWeek = (_daysOfWeek & (1 << (int)date.DayOfWeek)) != 0;
        return _dayOfMonthRestricted && _dayOfWeekRestricted ? dayOfMonth || dayOfWeek : dayOfMonth && dayOfWeek;
    }

    // The instants a matching wall-clock time stands for (see the DST rules in the remarks).
    private IEnumerable<DateTimeOffset> Resolve(DateTime wall, TimeZoneInfo zone)
    {
        if (zone.IsInvalidTime(wall))
        {
            if (_hourWildcard)
            {
                yield break;
            }

            var end = wall;
            for (var i = 0; i < 48 * 60 && zone.IsInvalidTime(end); i++)
            {
                end = end.AddMinutes(1);
            }

            yield return new DateTimeOffset(end, zone.GetUtcOffset(end));
            yield break;
        }

        if (zone.IsAmbiguousTime(wall))
        {
            var instants = zone.GetAmbiguousTimeOffsets(wall)
                .Select(offset => new DateTimeOffset(wall, offset))
                .OrderBy(instant => instant.UtcDateTime)
                .ToList();
            yield return instants[0];
            if (_hourWildcard)
            {
                foreach (var later in instants.Skip(1))
                {
                    yield return later;
                }
            }

            yield break;
        }

        yield return new DateTimeOffset(wall, zone.GetUtcOffset(wall));
    }

    private static bool IsStar(string field) => field.StartsWith('*') || field.StartsWith('?');

    private static bool AnyDayExists(ulong daysOfMonth, ulong months)
    {
        // Days per month in a leap year, so Feb 29 counts as possible.
        ReadOnlySpan<int> lengths = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
        for (var month = 1; month <= 12; month++)
        {
            if ((months & (1UL << month)) == 0)
            {
                continue;
            }

            for (var day = 1; day <= lengths[month]; day++)
            {
                if ((daysOfMonth & (1UL << day)) != 0)
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool TryParseField(string field, int min, int max, string[]? names, string fieldName, out ulong bits, [NotNullWhen(false)] out string? error)
    {
        bits = 0;
        foreach (var item in field.Split(','))
        {
            if (item.Length == 0)
            {
                error = $"{fieldName}: empty list item in \"{field}\"";
                return false;
            }

            var rangeText = item;
            var step = 1;
            var slash = item.IndexOf('/', StringComparison.Ordinal);
            if (slash >= 0)
            {
                rangeText = item[..slash];
                var stepText = item[(slash + 1)..];
                if (!int.TryParse(stepText, NumberStyles.None, CultureInfo.InvariantCulture, out step) || step < 1)
                {
                    error = $"{fieldName}: invalid step \"{stepText}\"";
                    return false;
                }
            }

            int start;
            int end;
            if (rangeText is "*" or "?")
            {
                start = min;
                end = max;
            }
            else
            {
                var dash = rangeText.IndexOf('-', StringComparison.Ordinal);
                if (dash >= 0)
                {
                    if (!TryParseValue(rangeText[..dash], min, max, names, fieldName, out start, out error)
                        || !TryParseValue(rangeText[(dash + 1)..], min, max, names, fieldName, out end, out error))
                    {
                        return false;
                    }

                    if (start > end)
                    {
                        error = $"{fieldName}: range \"{rangeText}\" ends before it starts";
                        return false;
                    }
                }
                else
                {
                    if (!TryParseValue(rangeText, min, max, names, fieldName, out start, out error))
                    {
                        return false;
                    }

                    end = slash >= 0 ? max : start;
                }
            }

            for (var value = start; value <= end; value += step)
            {
                bits |= 1UL << value;
            }
        }

        error = null;
        return true;
    }

    private static bool TryParseValue(string text, int min, int max, string[]? names, string fieldName, out int value, [NotNullWhen(false)] out string? error)
    {
        if (names is not null)
        {
            var index = Array.FindIndex(names, name => string.Equals(name, text, StringComparison.OrdinalIgnoreCase));
            if (index >= 0)
            {
                value = index + (min == 1 ? 1 : 0);
                error = null;
                return true;
            }
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value))
        {
            error = $"{fieldName}: \"{text}\" is not a number{(names is null ? "" : " or a name")}";
            return false;
        }

        if (value < min || value > max)
        {
            error = $"{fieldName}: {value} is out of range {min}-{max}";
            return false;
        }

        error = null;
        return true;
    }
}
