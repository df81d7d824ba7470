using System.Globalization;

namespace BuildKitController.AllocationBench;

/// <summary>
/// CPU time the hypervisor gave to other guests (<c>steal</c> in <c>/proc/stat</c>) as a share of all CPU time over a
/// window: on a shared virtual machine a run with noticeable steal measured the neighbours as much as the code.
/// </summary>
internal readonly record struct HostSteal(long Steal, long Total)
{
    public static HostSteal Read()
    {
        try
        {
            var cpu = File.ReadLines("/proc/stat").First(l => l.StartsWith("cpu ", StringComparison.Ordinal));
            var fields = cpu.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            return new HostSteal(fields.Length > 7 ? fields[7] : 0, fields.Take(8).Sum());
        }
        catch (IOException)
        {
            return default;
        }
    }

    /// <summary>Steal since <paramref name="before"/>, in percent of all CPU time.</summary>
    public double PercentSince(HostSteal before) =>
        Total > before.Total ? 100.0 * (Steal - before.Steal) / (Total - before.Total) : 0;
}
