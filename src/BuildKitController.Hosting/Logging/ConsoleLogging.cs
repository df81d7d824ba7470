using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace BuildKitController.Hosting.Logging;

/// <summary>
/// Console logging of the controller and gateway processes: one line per entry on stderr, UTC timestamps, text or
/// JSON, and the level names both accept (<c>LOG_LEVEL</c>, <c>--log-level</c>).
/// </summary>
public static class ConsoleLogging
{
    private const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z' ";

    /// <summary>The level names accepted (with <c>information</c>, <c>warning</c> and <c>fatal</c> as aliases), for error messages.</summary>
    public static IReadOnlyList<string> LevelNames { get; } = ["trace", "debug", "info", "warn", "error", "critical"];

    /// <summary>Parses a level name, case-insensitively; null means <see cref="LogLevel.Information"/>.</summary>
    public static bool TryParseLevel(string? text, out LogLevel level)
    {
        level = text?.ToUpperInvariant() switch
        {
            null or "INFO" or "INFORMATION" => LogLevel.Information,
            "TRACE" => LogLevel.Trace,
            "DEBUG" => LogLevel.Debug,
            "WARN" or "WARNING" => LogLevel.Warning,
            "ERROR" => LogLevel.Error,
            "CRITICAL" or "FATAL" => LogLevel.Critical,
            _ => LogLevel.None,
        };
        if (level == LogLevel.None)
        {
            level = LogLevel.Information;
            return false;
        }

        return true;
    }

    public static ILoggerFactory Create(LogLevel level, bool json) => LoggerFactory.Create(builder =>
    {
        builder.SetMinimumLevel(level);

        // Kestrel and hosting chatter only from warnings up, unless the level asks for even less.
        builder.AddFilter("Microsoft", level > LogLevel.Warning ? level : LogLevel.Warning);
        builder.AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
        if (json)
        {
            builder.AddJsonConsole(options =>
            {
                options.UseUtcTimestamp = true;
                options.TimestampFormat = TimestampFormat.TrimEnd();
            });
        }
        else
        {
            builder.AddSimpleConsole(options =>
            {
                options.SingleLine = true;
                options.UseUtcTimestamp = true;
                options.TimestampFormat = TimestampFormat;
                options.ColorBehavior = LoggerColorBehavior.Disabled;
            });
        }
    });
}
