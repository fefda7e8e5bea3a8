using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Funnel.Benchmarks.Training;

/// <summary>Runs a ../shared/peers script with Debian's python3 and returns its RESULT json.</summary>
internal static class PeerScript
{
    public static JsonElement Run(string script, double minSeconds, params string[] arguments)
    {
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["OMP_NUM_THREADS"] = Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture);
        start.Environment["MIN_SECONDS"] = minSeconds.ToString(CultureInfo.InvariantCulture);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start /usr/bin/python3");
        var stderr = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith("RESULT ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"{script} printed no RESULT line (exit {process.ExitCode}): {stderr.Result.Trim().Split('\n').LastOrDefault()}");
        return JsonDocument.Parse(line["RESULT ".Length..]).RootElement.Clone();
    }
}
