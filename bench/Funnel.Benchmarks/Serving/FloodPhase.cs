using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using Funnel.Serving.Contracts;
using Funnel.Serving.Store;

namespace Funnel.Benchmarks.Serving;

/// <summary>
/// What a client that invents users can make the service store: four writers post 1,000-event
/// batches, each to a new user id, into a separate service process with a user bound; every
/// sample takes the process's resident memory and the store folder's size. At the end the process
/// is killed (SIGKILL) and restarted on the same store, and the time to ready is measured.
/// </summary>
internal static class FloodPhase
{
    private const int Writers = 4;

    private const int BatchEvents = 1_000;

    public static async Task<List<FloodSample>> RunAsync(ServingBenchmarkOptions options, (string File, string[] Arguments) server, string[] videos, long time, Action<string> log, CancellationToken cancellation)
    {
        var store = Path.Combine(options.WorkFolder, "flood-store");
        var url = new Uri($"http://127.0.0.1:{EmbeddedGarnet.FreePort()}");
        string[] bound = ["--max-users", options.FloodMaxUsers.ToString(CultureInfo.InvariantCulture)];
        var samples = new List<FloodSample>();
        var started = Stopwatch.StartNew();
        Process? process = await ServerProcess.StartAsync(server, options, url, store, cancellation, bound);
        try
        {
            samples.Add(await SampleAsync("start", started.Elapsed.TotalSeconds, 0, 0, process, url, store, cancellation));
            log(Describe(samples[^1]));
            using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = Writers };
            using var client = new HttpClient(handler) { BaseAddress = url, Timeout = TimeSpan.FromSeconds(60) };
            using var stop = new CancellationTokenSource();
            long events = 0;
            var errors = 0;
            var writers = Enumerable.Range(0, Writers).Select(writer => Task.Run(async () =>
            {
                var random = new Random(writer);
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    var batch = new EventBatch($"flood-{writer}-{i}", [.. Enumerable.Range(0, BatchEvents).Select(e => new EventRequest("watch", videos[random.Next(videos.Length)], WatchSeconds: 60, Time: time - BatchEvents + e))]);
                    try
                    {
                        using var response = await client.PostAsJsonAsync("/v1/events", batch, CancellationToken.None);
                        if (response.IsSuccessStatusCode)
                        {
                            Interlocked.Add(ref events, BatchEvents);
                        }
                        else
                        {
                            Interlocked.Increment(ref errors);
                        }
                    }
                    catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
                    {
                        Interlocked.Increment(ref errors);
                    }
                }
            })).ToList();
            var clock = Stopwatch.StartNew();
            var every = TimeSpan.FromSeconds(Math.Max(1, options.FloodSeconds / 12));
            while (clock.Elapsed.TotalSeconds < options.FloodSeconds)
            {
                await Task.Delay(every, cancellation);
                samples.Add(await SampleAsync("flood", clock.Elapsed.TotalSeconds, Interlocked.Read(ref events), Volatile.Read(ref errors), process, url, store, cancellation));
                log(Describe(samples[^1]));
            }
            process.Kill();
            await process.WaitForExitAsync(cancellation);
            await stop.CancelAsync();
            await Task.WhenAll(writers);
            process.Dispose();
            process = null;

            var restart = Stopwatch.StartNew();
            process = await ServerProcess.StartAsync(server, options, url, store, cancellation, bound);
            var ready = restart.Elapsed.TotalSeconds;
            // The user gauge is set by the first retention round.
            await Task.Delay(TimeSpan.FromSeconds(2), cancellation);
            samples.Add(await SampleAsync("restart", ready, Interlocked.Read(ref events), errors, process, url, store, cancellation));
            log(Describe(samples[^1]));
            await ServerProcess.StopCleanlyAsync(process, cancellation);
            return samples;
        }
        finally
        {
            if (process is { HasExited: false })
            {
                process.Kill();
            }
            process?.Dispose();
        }
    }

    private static async Task<FloodSample> SampleAsync(string phase, double seconds, long events, int errors, Process process, Uri url, string store, CancellationToken cancellation)
    {
        process.Refresh();
        var rss = process.WorkingSet64 / 1e6;
        var bytes = FolderBytes(store);
        using var client = new HttpClient { BaseAddress = url };
        var metrics = (await client.GetStringAsync("/metrics", cancellation)).Split('\n');
        return new FloodSample(phase, Math.Round(seconds, 1), events, errors, (long)Gauge(metrics, "funnel_store_users"), Math.Round(rss, 1), Math.Round(Gauge(metrics, "dotnet_total_memory_bytes") / 1e6, 1), Math.Round(bytes / 1e6, 1));
    }

    /// <summary>
    /// The bytes of the files in a folder, as far as they can be seen: Garnet deletes truncated
    /// segments and old checkpoints while they are being counted.
    /// </summary>
    private static long FolderBytes(string folder)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true };
        while (true)
        {
            try
            {
                return new DirectoryInfo(folder).EnumerateFiles("*", options).Sum(file => file.Length);
            }
            catch (IOException)
            {
                // A file or folder went away mid-count: count again.
            }
        }
    }

    /// <summary>A gauge's value from the service's /metrics lines (0 when absent).</summary>
    private static double Gauge(string[] metrics, string name)
    {
        var line = metrics.FirstOrDefault(l => l.StartsWith(name + " ", StringComparison.Ordinal));
        return line is null ? 0 : double.Parse(line[(name.Length + 1)..], CultureInfo.InvariantCulture);
    }

    private static string Describe(FloodSample sample) => string.Create(CultureInfo.InvariantCulture,
        $"bench serving: {sample.Phase} at {sample.Seconds:F0} s: {sample.Events:N0} events acknowledged ({sample.Errors} batches failed), {sample.Users:N0} users stored, RSS {sample.RssMb:N0} MB (managed heap {sample.HeapMb:N0} MB), store {sample.StoreMb:N0} MB");
}
