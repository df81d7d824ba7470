using Microsoft.Extensions.Logging.Console;

namespace BuildKitController.Gateway.Hosting;

/// <summary>Console logging of the gateway: one line per entry on stderr, text or JSON (<c>--log-format</c>).</summary>
internal static class GatewayLogging
{
    private const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z' ";

    public static ILoggerFactory Create(LogLevel level, bool json) => LoggerFactory.Create(builder =>
    {
        builder.SetMinimumLevel(level);
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
