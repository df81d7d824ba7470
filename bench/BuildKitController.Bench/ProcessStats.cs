using System.Diagnostics;
using System.Globalization;

namespace BuildKitController.Bench;

/// <summary>
/// CPU time and memory of a process from <c>/proc</c>: CPU is utime + stime of <c>/proc/&lt;pid&gt;/stat</c> (as
/// <see cref="Process.TotalProcessorTime"/> reads it, with the kernel's clock tick), memory is <c>VmRSS</c> and
/// <c>VmHWM</c> (peak RSS) of <c>/proc/&lt;pid&gt;/status</c>.
/// </summary>
internal readonly record struct ProcessStats(TimeSpan CpuTime, long RssBytes, long PeakRssBytes)
{
    public double RssMegabytes => RssBytes / (1024.0 * 1024.0);

    public double PeakRssMegabytes => PeakRssBytes / (1024.0 * 1024.0);

    public static ProcessStats Read(Process process)
    {
        process.Refresh();
        var cpu = process.TotalProcessorTime;
        long rss = 0, peak = 0;
        foreach (var line in File.ReadLines($"/proc/{process.Id}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = Kilobytes(line);
            }
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                peak = Kilobytes(line);
            }
        }

        return new ProcessStats(cpu, rss, peak);
    }

    /// <summary>"VmRSS:	  123456 kB" → bytes.</summary>
    private static long Kilobytes(string line)
    {
        var parts = line.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        return parts.Length >= 2 && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var kb) ? kb * 1024 : 0;
    }
}
