namespace BuildKitController.Operator.Hosting;

/// <summary>Console log format (<c>LOG_FORMAT</c>).</summary>
internal enum LogFormat
{
    /// <summary>One human-readable line per entry.</summary>
    Text,

    /// <summary>One JSON object per line, for log collectors.</summary>
    Json,
}
