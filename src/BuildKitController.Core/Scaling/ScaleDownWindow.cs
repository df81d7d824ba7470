using BuildKitController.Core.Scheduling;

namespace BuildKitController.Core.Scaling;

/// <summary>
/// <c>spec.scaling.scaleDownSchedule</c> semantics: every minute the 5-field cron expression matches opens a
/// window of <c>duration</c> (default one minute) during which the pool keeps no idle workers. So
/// <c>"* 19-23,0-6 * * *"</c> scales to zero at night by itself, and <c>"0 19 * * 1-5"</c> with a duration of
/// <c>12h</c> does so from 19:00 to 07:00 on weekdays. Allocated workers are never touched; new allocations are
/// still served (a worker is created on demand).
/// </summary>
public static class ScaleDownWindow
{
    public static bool IsActive(CronSchedule schedule, TimeSpan duration, DateTimeOffset now, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        if (duration < TimeSpan.FromMinutes(1))
        {
            duration = TimeSpan.FromMinutes(1);
        }

        // Active iff some matching minute m satisfies now - duration < m <= now.
        var next = schedule.GetNextOccurrence(now - duration, zone);
        return next is { } start && start <= now;
    }

    /// <summary>When the answer of <see cref="IsActive"/> may change next (for requeueing).</summary>
    public static TimeSpan? NextChange(CronSchedule schedule, TimeSpan duration, DateTimeOffset now, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        if (IsActive(schedule, duration, now, zone))
        {
            // Probe minute by minute would be costly for long windows; the window ends at most `duration` after the
            // latest start, so recheck then (a later start extends it and is found on that recheck).
            var latestStart = schedule.GetPreviousOccurrence(now.AddTicks(1), zone) ?? now;
            var end = latestStart + (duration < TimeSpan.FromMinutes(1) ? TimeSpan.FromMinutes(1) : duration);
            return end > now ? end - now : TimeSpan.FromMinutes(1);
        }

        return schedule.GetNextOccurrence(now, zone) is { } nextStart ? nextStart - now : null;
    }
}
