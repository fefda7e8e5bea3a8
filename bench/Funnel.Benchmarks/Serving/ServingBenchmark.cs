using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using Funnel.Data.Model;
using Funnel.Ranking.Inference;
using Funnel.Serving;
using Funnel.Serving.Api;
using Funnel.Serving.Contracts;
using Funnel.Serving.Hosting;
using Funnel.Serving.Recommendations;
using Funnel.Serving.Store;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace Funnel.Benchmarks.Serving;

/// <summary>What `funnel bench serving` measures.</summary>
/// <param name="ModelFolder">The model folder to serve.</param>
/// <param name="Connections">Concurrency levels.</param>
/// <param name="Seconds">Timed seconds per level.</param>
/// <param name="Users">Users with a history (20 watches each, posted before the load).</param>
/// <param name="CandidateCount">Candidates ranked per request.</param>
/// <param name="Reloads">Model reloads during the hot-swap phase (8 connections); 0 skips it.</param>
/// <param name="WorkFolder">Scratch folder for the stores (deleted afterwards).</param>
/// <param name="ServerCommand">How to start `funnel serve` as a separate process (the kill -9 and separate-process phases; null skips both).</param>
/// <param name="KillNine">Run the kill -9 phase.</param>
/// <param name="KillRounds">Ingest-and-kill rounds of the kill -9 phase, on one store folder.</param>
/// <param name="KillSeconds">Seconds of ingestion before each kill.</param>
/// <param name="SeparateProcess">Also run the load levels against `funnel serve` in a process of its own.</param>
/// <param name="ServerCpus">With <paramref name="SeparateProcess"/>: the CPUs (taskset's list syntax) the separate server runs on, or null for any.</param>
/// <param name="GeneratorCpus">With <paramref name="SeparateProcess"/>: the CPUs the load generator runs on while it loads the separate server, or null for any.</param>
/// <param name="FloodSeconds">Seconds of the flood phase (new users posting 1,000-event batches into a separate process); 0 skips it.</param>
/// <param name="FloodMaxUsers">The user bound the flooded service runs with.</param>
public sealed record ServingBenchmarkOptions(string ModelFolder, IReadOnlyList<int> Connections, double Seconds, int Users, int CandidateCount, int Reloads, string WorkFolder, (string File, string[] Arguments)? ServerCommand, bool KillNine = true, bool SeparateProcess = false, string? ServerCpus = null, string? GeneratorCpus = null, int KillRounds = 20, double KillSeconds = 2, double FloodSeconds = 0, int FloodMaxUsers = 20_000);

/// <summary>What `funnel bench serving` measured: load levels and kill -9 rounds, and the flood's samples.</summary>
/// <param name="Rows">Load, hot-swap and kill -9 rows.</param>
/// <param name="Flood">The flood phase's samples (empty when skipped).</param>
public sealed record ServingBenchmarkResult(IReadOnlyList<ServingBenchmarkRow> Rows, IReadOnlyList<FloodSample> Flood);

/// <summary>
/// funnel bench serving: the service on Kestrel over loopback, in this process, loaded by
/// <see cref="LoadGenerator"/> at each concurrency (both share this machine's cores); then the same
/// load while the model is reloaded; then, with the service as a separate process, events posted
/// under load, the process killed with SIGKILL, restarted, and every acknowledged event looked for.
/// </summary>
public static class ServingBenchmark
{
    private const string ApiKey = "bench";

    /// <summary>The kill -9 rounds' store checkpoints past 1 MB of append-only file, so kills also land during and between checkpoints.</summary>
    private static readonly string[] FrequentCheckpoints = ["--store-log-mb", "1"];

    /// <summary>Runs every phase.</summary>
    public static async Task<ServingBenchmarkResult> RunAsync(ServingBenchmarkOptions options, Action<string> log, CancellationToken cancellation = default)
    {
        Directory.CreateDirectory(options.WorkFolder);
        var rows = new List<ServingBenchmarkRow>();
        var (catalogue, _) = await RankingModelFolder.ReadCatalogueAsync(options.ModelFolder, cancellation);
        // Requests are "made" a day after the newest upload, so video ages fall where training saw them.
        var time = catalogue.Max(v => v.UploadTime) + 86_400;
        var users = Enumerable.Range(0, options.Users).Select(u => $"bench-user-{u}").ToList();
        try
        {
            var store = Path.Combine(options.WorkFolder, "store");
            await using (var app = await ServiceHost.BuildAsync(new ServiceOptions(options.ModelFolder, StoreFolder: store, ApiKey: ApiKey, Sources: new CandidateSources(Network: options.CandidateCount)), builder =>
            {
                builder.WebHost.UseUrls("http://127.0.0.1:0");
                // Errors only, on stderr: a failed request in the figures comes with its cause.
                builder.Logging.ClearProviders();
                builder.Logging.AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Error);
                builder.Logging.SetMinimumLevel(LogLevel.Error);
            }, cancellation))
            {
                await app.StartAsync(cancellation);
                var url = new Uri(app.Urls.First());
                await LoadLevelsAsync("load", url, options, users, catalogue, time, rows, log, cancellation);
                if (options.Reloads > 0)
                {
                    var reloads = 0;
                    var result = await LoadGenerator.RunAsync(url, 8, TimeSpan.FromSeconds(options.Seconds), users, 20, time, async stop =>
                    {
                        // Loading a million-video model takes minutes: no client-side timeout on a reload.
                        using var admin = new HttpClient { BaseAddress = url, Timeout = Timeout.InfiniteTimeSpan };
                        admin.DefaultRequestHeaders.Add(AdminEndpoints.ApiKeyHeader, ApiKey);
                        var pause = TimeSpan.FromSeconds(options.Seconds / (options.Reloads + 1));
                        for (var i = 0; i < options.Reloads; i++)
                        {
                            await Task.Delay(pause, CancellationToken.None);
                            using var response = await admin.PostAsJsonAsync("/admin/models/reload", new ReloadRequest(options.ModelFolder), CancellationToken.None);
                            reloads += response.IsSuccessStatusCode ? 1 : 0;
                        }
                    });
                    rows.Add(Row("hot-swap", 8, result, reloads));
                    log(Describe(rows[^1]));
                }
                await app.StopAsync(cancellation);
            }
            if (options.SeparateProcess && options.ServerCommand is { } separate)
            {
                var port = EmbeddedGarnet.FreePort();
                var url = new Uri($"http://127.0.0.1:{port}");
                using var process = await ServerProcess.StartAsync(separate, options, url, Path.Combine(options.WorkFolder, "separate-store"), options.ServerCpus, cancellation);
                if (options.GeneratorCpus is { } generatorCpus)
                {
                    await ServerProcess.PinThisProcessAsync(generatorCpus, cancellation);
                }
                var phase = options.ServerCpus is null && options.GeneratorCpus is null ? "load, separate process"
                    : $"load, separate process (server on CPUs {options.ServerCpus ?? "any"}, generator on {options.GeneratorCpus ?? "any"})";
                try
                {
                    await LoadLevelsAsync(phase, url, options, users, catalogue, time, rows, log, cancellation, ownProcess: true);
                }
                finally
                {
                    if (options.GeneratorCpus is not null)
                    {
                        await ServerProcess.PinThisProcessAsync($"0-{Environment.ProcessorCount - 1}", CancellationToken.None);
                    }
                }
                process.Kill();
                await process.WaitForExitAsync(cancellation);
            }
            if (options.KillNine && options.ServerCommand is { } server)
            {
                rows.AddRange(await KillNineAsync(options, server, catalogue.Select(v => v.Id).ToArray(), time, log, cancellation));
            }
            var flood = options.FloodSeconds > 0 && options.ServerCommand is { } flooded
                ? await FloodPhase.RunAsync(options, flooded, catalogue.Select(v => v.Id).ToArray(), time, log, cancellation)
                : [];
            return new ServingBenchmarkResult(rows, flood);
        }
        finally
        {
            Directory.Delete(options.WorkFolder, recursive: true);
        }
    }

    /// <summary>Seeds the users, warms up, then measures each concurrency level with per-stage means from /metrics.</summary>
    /// <remarks>With <paramref name="ownProcess"/> (the server alone in its process), each row also gets the server's CPU milliseconds and managed allocations per slate, from its /metrics.</remarks>
    private static async Task LoadLevelsAsync(string phase, Uri url, ServingBenchmarkOptions options, List<string> users, IReadOnlyList<Video> catalogue, long time, List<ServingBenchmarkRow> rows, Action<string> log, CancellationToken cancellation, bool ownProcess = false)
    {
        await SeedAsync(url, users, catalogue, time, cancellation);
        log($"bench serving: {users.Count:N0} users with 20 watches each at {url}; warming up");
        await LoadGenerator.RunAsync(url, 2, TimeSpan.FromSeconds(Math.Min(5, options.Seconds)), users, 20, time);
        foreach (var connections in options.Connections)
        {
            var before = await StageTotalsAsync(url, cancellation);
            var result = await LoadGenerator.RunAsync(url, connections, TimeSpan.FromSeconds(options.Seconds), users, 20, time);
            var after = await StageTotalsAsync(url, cancellation);
            var row = Row(phase, connections, result, 0);
            if (ownProcess && result.LatenciesMs.Count > 0)
            {
                double Delta(string counter) => after.GetValueOrDefault(counter).Sum - before.GetValueOrDefault(counter).Sum;
                row = row with
                {
                    CpuMsPerSlate = Math.Round(1000 * Delta(CpuCounter) / result.LatenciesMs.Count, 3),
                    AllocatedKbPerSlate = Math.Round(Delta(AllocatedCounter) / 1024 / result.LatenciesMs.Count, 1),
                };
            }
            rows.Add(row);
            log(Describe(rows[^1]) + "; mean ms per stage: " + string.Join(", ", after.Keys.Where(key => key is not CpuCounter and not AllocatedCounter).Select(stage => string.Create(CultureInfo.InvariantCulture,
                $"{stage} {1000 * (after[stage].Sum - before.GetValueOrDefault(stage).Sum) / Math.Max(1, after[stage].Count - before.GetValueOrDefault(stage).Count):F2}"))));
        }
    }

    private static ServingBenchmarkRow Row(string phase, int connections, LoadGenerator.Result result, int reloads) =>
        new(phase, connections, Math.Round(result.Rps, 1), Math.Round(result.Percentile(0.5), 2), Math.Round(result.Percentile(0.99), 2), result.Errors, result.LatenciesMs.Count + result.Errors, reloads, result.ErrorKinds);

    private static string Describe(ServingBenchmarkRow row) => string.Create(CultureInfo.InvariantCulture,
        $"bench serving: {row.Phase}, {row.Connections} connections: {row.Rps:N0} requests/s, p50 {row.P50Ms} ms, p99 {row.P99Ms} ms, {row.Errors} errors of {row.Requests:N0}{(row.Errors > 0 ? $" ({string.Join(", ", row.ErrorKinds!.Select(k => $"{k.Key}: {k.Value}"))})" : "")}{(row.Reloads > 0 ? $", {row.Reloads} reloads" : "")}{(row.CpuMsPerSlate is { } cpu ? $", server {cpu:F2} CPU ms and {row.AllocatedKbPerSlate:N0} KB allocated per slate" : "")}");

    private const string CpuCounter = "process_cpu_seconds_total";

    private const string AllocatedCounter = "funnel_allocated_bytes";

    /// <summary>Seconds and observations of each recommendation stage so far, and the process's CPU seconds and allocated bytes (as sums), from GET /metrics.</summary>
    private static async Task<Dictionary<string, (double Sum, double Count)>> StageTotalsAsync(Uri url, CancellationToken cancellation)
    {
        using var client = new HttpClient { BaseAddress = url };
        var totals = new Dictionary<string, (double Sum, double Count)>();
        foreach (var line in (await client.GetStringAsync("/metrics", cancellation)).Split('\n'))
        {
            foreach (var counter in new[] { CpuCounter, AllocatedCounter })
            {
                if (line.StartsWith(counter + " ", StringComparison.Ordinal))
                {
                    totals[counter] = (double.Parse(line[(counter.Length + 1)..], CultureInfo.InvariantCulture), 0);
                }
            }
            foreach (var (suffix, isSum) in new[] { ("_sum{stage=\"", true), ("_count{stage=\"", false) })
            {
                var prefix = "funnel_stage_seconds" + suffix;
                if (!line.StartsWith(prefix, StringComparison.Ordinal))
                {
                    continue;
                }
                var stage = line[prefix.Length..line.IndexOf('"', prefix.Length)];
                var value = double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
                var current = totals.GetValueOrDefault(stage);
                totals[stage] = isSum ? (value, current.Count) : (current.Sum, value);
            }
        }
        return totals;
    }

    /// <summary>Gives each user 20 watches of one topic (a uniformly drawn video's), as real histories cluster.</summary>
    private static async Task SeedAsync(Uri url, List<string> users, IReadOnlyList<Video> catalogue, long time, CancellationToken cancellation)
    {
        using var client = new HttpClient { BaseAddress = url };
        var random = new Random(1);
        var byTopic = catalogue.GroupBy(v => v.Topics, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(v => v.Id).ToArray(), StringComparer.Ordinal);
        foreach (var user in users)
        {
            var topic = byTopic[catalogue[random.Next(catalogue.Count)].Topics];
            var events = Enumerable.Range(0, 20).Select(i => new EventRequest("watch", topic[random.Next(topic.Length)], WatchSeconds: 30 + random.Next(600), Time: time - 86_400 + (i * 600))).ToList();
            using var response = await client.PostAsJsonAsync("/v1/events", new EventBatch(user, events), cancellation);
            response.EnsureSuccessStatusCode();
        }
    }

    /// <summary>
    /// Rounds of events under load into a separate service process, each ended by SIGKILL, on one
    /// store folder: after every restart (and after a final clean stop and start) every event
    /// acknowledged so far is looked for. One kill proves little; a torn write that breaks the
    /// replay shows only on later restarts.
    /// </summary>
    private static async Task<List<ServingBenchmarkRow>> KillNineAsync(ServingBenchmarkOptions options, (string File, string[] Arguments) server, string[] videos, long time, Action<string> log, CancellationToken cancellation)
    {
        var store = Path.Combine(options.WorkFolder, "kill9-store");
        if (Directory.Exists(store))
        {
            Directory.Delete(store, recursive: true);
        }
        var port = EmbeddedGarnet.FreePort();
        var url = new Uri($"http://127.0.0.1:{port}");
        var users = Enumerable.Range(0, 64).Select(u => $"kill9-user-{u}").ToArray();
        var acknowledged = new int[users.Length];
        var rows = new List<ServingBenchmarkRow>();
        var clock = 0L;
        for (var round = 1; round <= options.KillRounds; round++)
        {
            using var process = await ServerProcess.StartAsync(server, options, url, store, cancellation, FrequentCheckpoints);
            if (round > 1)
            {
                rows.Add(await CountMissingAsync($"kill-9 restart {round - 1}", url, users, acknowledged, time, log, cancellation));
            }
            clock = await IngestAsync(url, users, acknowledged, videos, time, clock, options.KillSeconds, async () =>
            {
                process.Kill();
                await process.WaitForExitAsync(cancellation);
            }, cancellation);
        }
        using (var restarted = await ServerProcess.StartAsync(server, options, url, store, cancellation, FrequentCheckpoints))
        {
            rows.Add(await CountMissingAsync($"kill-9 restart {options.KillRounds}", url, users, acknowledged, time, log, cancellation));
            await ServerProcess.StopCleanlyAsync(restarted, cancellation);
        }
        using (var final = await ServerProcess.StartAsync(server, options, url, store, cancellation, FrequentCheckpoints))
        {
            rows.Add(await CountMissingAsync("clean restart", url, users, acknowledged, time, log, cancellation));
            await ServerProcess.StopCleanlyAsync(final, cancellation);
        }
        return rows;
    }

    /// <summary>Longest wait past a round's seconds for its first acknowledged event.</summary>
    private static readonly TimeSpan FirstAcknowledgementWait = TimeSpan.FromMinutes(1);

    /// <summary>Eight writers post one-event batches round-robin over the users until <paramref name="seconds"/> pass (and one event is acknowledged), then <paramref name="kill"/> runs while they still write.</summary>
    private static async Task<long> IngestAsync(Uri url, string[] users, int[] acknowledged, string[] videos, long time, long clock, double seconds, Func<Task> kill, CancellationToken cancellation)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 8 };
        using var client = new HttpClient(handler) { BaseAddress = url };
        using var stop = new CancellationTokenSource();
        var next = clock;
        var workers = Enumerable.Range(0, 8).Select(worker => Task.Run(async () =>
        {
            var random = new Random(worker + (int)(clock % 1_000));
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var user = worker + (8 * (i % 8));
                var at = time + Interlocked.Increment(ref next);
                var batch = new EventBatch(users[user], [new EventRequest("watch", videos[random.Next(videos.Length)], WatchSeconds: 60, Time: at)]);
                try
                {
                    using var response = await client.PostAsJsonAsync("/v1/events", batch, CancellationToken.None);
                    if (response.IsSuccessStatusCode)
                    {
                        Interlocked.Increment(ref acknowledged[user]);
                    }
                }
                catch (HttpRequestException)
                {
                    return;
                }
            }
        })).ToList();
        var before = acknowledged.Sum();
        await Task.Delay(TimeSpan.FromSeconds(seconds), cancellation);
        // A round that acknowledged nothing tests nothing: on a loaded machine the restarted
        // service's first acknowledgement can take longer than the round, so wait for one.
        var waited = Stopwatch.StartNew();
        while (acknowledged.Sum() == before && waited.Elapsed < FirstAcknowledgementWait && workers.Any(w => !w.IsCompleted))
        {
            await Task.Delay(50, cancellation);
        }
        await kill();
        await stop.CancelAsync();
        await Task.WhenAll(workers);
        return next;
    }

    /// <summary>Acknowledged events not in the store, over every user (each user's list keeps its last <see cref="RedisEventStore.MaxEventsPerUser"/>).</summary>
    private static async Task<ServingBenchmarkRow> CountMissingAsync(string phase, Uri url, string[] users, int[] acknowledged, long time, Action<string> log, CancellationToken cancellation)
    {
        using var client = new HttpClient { BaseAddress = url };
        var missing = 0;
        for (var u = 0; u < users.Length; u++)
        {
            using var response = await client.PostAsJsonAsync("/v1/recommendations", new RecommendationRequest(users[u], 1, Debug: true, Time: time), cancellation);
            var slate = await response.Content.ReadFromJsonAsync<RecommendationResponse>(cancellation);
            missing += Math.Max(0, Math.Min(acknowledged[u], RedisEventStore.MaxEventsPerUser) - (slate?.Debug?.Events ?? 0));
        }
        log(FormattableString.Invariant($"bench serving: {phase}: {missing:N0} of {acknowledged.Sum():N0} acknowledged events missing"));
        return new ServingBenchmarkRow(phase, 8, 0, 0, 0, missing, acknowledged.Sum(), 0);
    }
}
