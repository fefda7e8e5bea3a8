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
            return StatusMegabytes("VmHWM:");
        }
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        return process.PeakWorkingSet64 / (1024.0 * 1024.0);
    }

    /// <summary>Resident memory now, in MB.</summary>
    public static double CurrentMegabytes()
    {
        if (OperatingSystem.IsLinux())
        {
            return StatusMegabytes("VmRSS:");
        }
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        return process.WorkingSet64 / (1024.0 * 1024.0);
    }

    private static double StatusMegabytes(string field)
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0;
            }
        }
        return double.NaN;
    }
}
