using System.Runtime.InteropServices;

namespace Funnel.Cli.Hosting;

/// <summary>The machine a benchmark ran on, recorded beside its figures.</summary>
internal sealed record MachineDescription(string Os, string Cpu, int Cores, double MemoryGb, string Runtime)
{
    public static MachineDescription Current()
    {
        var cpu = "unknown";
        if (File.Exists("/proc/cpuinfo"))
        {
            cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? cpu;
        }
        var memory = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024);
        return new MachineDescription(RuntimeInformation.OSDescription, cpu, Environment.ProcessorCount, Math.Round(memory, 1), RuntimeInformation.FrameworkDescription);
    }
}
