using System.Globalization;

namespace Funnel.Benchmarks.Measurement;

/// <summary>
/// Peak resident memory of this process per phase: Linux's VmHWM, reset between phases by writing 5
/// to /proc/self/clear_refs. Elsewhere, the process-wide peak working set (not resettable).
/// </summary>
public static class PeakMemory
{
    /// <summary>Collects garbage, returns freed memory to the OS, and starts a new peak.</summary>
    public static void Reset()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        if (OperatingSystem.IsLinux())
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
    }

    /// <summary>Peak resident memory since the last reset, in MB.</summary>
    public static double Megabytes()
    {
        if (OperatingSystem.IsLinux())
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    var kilobytes = long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                    return kilobytes / 1024.0;
                }
            }
        }
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        return process.PeakWorkingSet64 / (1024.0 * 1024.0);
    }
}
