using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Funnel.Benchmarks.Training;

/// <summary>Runs a ../shared/peers script with Debian's python3 and returns its RESULT json.</summary>
internal static class PeerScript
{
    /// <summary>
    /// Runs the script tuned as Funnel tunes itself (<c>TorchRuntime.Initialize</c>): OpenMP threads
    /// that sleep instead of spinning when they wait, and glibc's allocator keeping freed buffers
    /// instead of mapping them afresh each step. Untuned, the peer loses half its speed on this
    /// machine to each, and a ratio against it would measure the set-up, not the code.
    /// </summary>
    public static JsonElement Run(string script, double minSeconds, params string[] arguments)
    {
        var environment = TunedEnvironment();
        environment["MIN_SECONDS"] = minSeconds.ToString(CultureInfo.InvariantCulture);
        return RunAll(script, environment, arguments)[0];
    }

    /// <summary>The environment <see cref="Run"/> gives the peer: Funnel's own OpenMP and allocator settings.</summary>
    public static Dictionary<string, string> TunedEnvironment() => new()
    {
        ["OMP_NUM_THREADS"] = Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture),
        ["OMP_WAIT_POLICY"] = "PASSIVE",
        ["MALLOC_MMAP_THRESHOLD_"] = "33554432",
        ["MALLOC_TRIM_THRESHOLD_"] = "2147483647",
        ["MALLOC_TOP_PAD_"] = "67108864",
    };

    /// <summary>Every RESULT json the script prints, in order; at least one.</summary>
    public static IReadOnlyList<JsonElement> RunAll(string script, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var (output, stderr) = Output(script, environment, arguments);
        var results = output.Split('\n')
            .Where(l => l.StartsWith("RESULT ", StringComparison.Ordinal))
            .Select(l => JsonDocument.Parse(l["RESULT ".Length..]).RootElement.Clone())
            .ToList();
        return results.Count > 0
            ? results
            : throw new InvalidOperationException($"{script} printed no RESULT line: {stderr.Trim().Split('\n').LastOrDefault()}");
    }

    /// <summary>What the script printed on stdout and stderr; fails with its last error line when it exits non-zero.</summary>
    public static (string Stdout, string Stderr) Output(string script, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start /usr/bin/python3");
        var stderr = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0
            ? (output, stderr.Result)
            : throw new InvalidOperationException($"{script} exited with {process.ExitCode}: {stderr.Result.Trim().Split('\n').LastOrDefault()}");
    }
}
