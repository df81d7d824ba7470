using Microsoft.Extensions.Logging.Console;

namespace BuildKitController.Operator.Hosting;

/// <summary>Console logging of the controller process: one line per entry on stderr, text or JSON (<c>LOG_FORMAT</c>).</summary>
internal static class OperatorLogging
{
    private const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z' ";

    public static ILoggerFactory Create(LogLevel level, LogFormat format) => LoggerFactory.Create(builder =>
    {
        builder.SetMinimumLevel(level);

        // Kestrel and hosting chatter only from warnings up, unless the level asks for even less.
        builder.AddFilter("Microsoft", level > LogLevel.Warning ? level : LogLevel.Warning);
        builder.AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
        if (format == LogFormat.Json)
        {
            builder.AddJsonConsole(json =>
            {
                json.UseUtcTimestamp = true;
                json.TimestampFormat = TimestampFormat.TrimEnd();
            });
        }
        else
        {
            builder.AddSimpleConsole(text =>
            {
                text.SingleLine = true;
                text.UseUtcTimestamp = true;
                text.TimestampFormat = TimestampFormat;
                text.ColorBehavior = LoggerColorBehavior.Disabled;
            });
        }
    });
}
