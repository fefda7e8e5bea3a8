using System.Diagnostics;
using System.Globalization;

namespace Funnel.Benchmarks.Serving;

/// <summary>`funnel serve` as a process of its own, for the phases that kill, restart or measure it apart from the load generator.</summary>
internal static class ServerProcess
{
    /// <summary>Confines every thread of this process to the CPU list <paramref name="cpus"/> (taskset's syntax), as the load generator's side of a pinned measurement.</summary>
    public static async Task PinThisProcessAsync(string cpus, CancellationToken cancellation)
    {
        using var pin = Process.Start(new ProcessStartInfo("taskset", ["-a", "-p", "-c", cpus, Environment.ProcessId.ToString(CultureInfo.InvariantCulture)]) { RedirectStandardOutput = true, RedirectStandardError = true })
            ?? throw new InvalidOperationException("cannot start taskset");
        await pin.WaitForExitAsync(cancellation);
        if (pin.ExitCode != 0)
        {
            throw new ArgumentException($"taskset could not pin the load generator to CPUs '{cpus}': {(await pin.StandardError.ReadToEndAsync(cancellation)).Trim()}");
        }
    }

    /// <summary>SIGTERM, as a service manager stops the service, and a wait for its graceful exit.</summary>
    public static async Task StopCleanlyAsync(Process process, CancellationToken cancellation)
    {
        using (var signal = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await signal.WaitForExitAsync(cancellation);
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
    }

    /// <summary>Starts `funnel serve` on <paramref name="url"/> and <paramref name="store"/>, with <paramref name="extra"/> options, and waits until it is ready.</summary>
    public static Task<Process> StartAsync((string File, string[] Arguments) server, ServingBenchmarkOptions options, Uri url, string store, CancellationToken cancellation, params string[] extra) =>
        StartAsync(server, options, url, store, cpus: null, cancellation, extra);

    /// <summary>As above, the server confined to the CPU list <paramref name="cpus"/> (taskset's syntax, e.g. "1") when given.</summary>
    public static async Task<Process> StartAsync((string File, string[] Arguments) server, ServingBenchmarkOptions options, Uri url, string store, string? cpus, CancellationToken cancellation, params string[] extra)
    {
        // taskset executes the server in its own process, so the pid, kill and exit code stay the server's.
        var start = new ProcessStartInfo(cpus is null ? server.File : "taskset") { RedirectStandardOutput = true, RedirectStandardError = true };
        string[] pinning = cpus is null ? [] : ["-c", cpus, server.File];
        foreach (var argument in pinning.Concat(server.Arguments).Concat(["serve", "--model", options.ModelFolder, "--urls", url.ToString().TrimEnd('/'), "--store-dir", store, "--candidates", options.CandidateCount.ToString(CultureInfo.InvariantCulture), .. extra]))
        {
            start.ArgumentList.Add(argument);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {server.File}");
        // Drained and dropped, so a chatty server never blocks on a full pipe; stderr is kept for a failed start.
        process.BeginOutputReadLine();
        using var client = new HttpClient { BaseAddress = url };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(120))
        {
            cancellation.ThrowIfCancellationRequested();
            if (process.HasExited)
            {
                throw new InvalidOperationException($"funnel serve exited with {process.ExitCode}: {await process.StandardError.ReadToEndAsync(cancellation)}");
            }
            try
            {
                using var ready = await client.GetAsync("/readyz", cancellation);
                if (ready.IsSuccessStatusCode)
                {
                    return process;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(200, cancellation);
        }
        process.Kill();
        throw new InvalidOperationException("funnel serve did not become ready within 120 s");
    }
}
