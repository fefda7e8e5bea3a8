using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using Funnel.Serving.Contracts;
using Funnel.Serving.Store;

namespace Funnel.Benchmarks.Cluster;

/// <summary>What the chaos run loads and where it looks.</summary>
/// <param name="Balancer">The load balancer's address.</param>
/// <param name="Store">The store cluster (redis://HOST:PORT,...), read at the end for the acknowledged events.</param>
/// <param name="Seconds">How long the load runs; the faults happen meanwhile, from outside (deploy/local-cluster.sh chaos).</param>
/// <param name="FaultsFile">Where the faults are written as they happen, one "UNIX-MILLISECONDS NAME" line each; read at the end.</param>
/// <param name="Connections">Concurrent clients, each sending its next request when the last one answered.</param>
/// <param name="Users">Users the load spreads over (spread over every slot of the store).</param>
/// <param name="EventShare">Share of requests that post an event batch (one search) rather than ask for a slate.</param>
public sealed record ChaosOptions(Uri Balancer, string Store, int Seconds, string FaultsFile, int Connections = 8, int Users = 2_000, double EventShare = 0.2);

/// <summary>
/// The chaos run's load and its accounting: steady load through the load balancer while faults are
/// made from outside, then per fault the requests sent and failed, latency before, during and after,
/// the time until the failures stopped, and every acknowledged event looked for in the store.
/// </summary>
public static class ChaosBenchmark
{
    private static readonly TimeSpan Before = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan During = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan After = TimeSpan.FromSeconds(10);

    private sealed record Sample(long StartMs, long EndMs, string Endpoint, string? Failure)
    {
        public double LatencyMs => EndMs - StartMs;
    }

    /// <summary>Runs the load, then accounts for it.</summary>
    public static async Task<IReadOnlyList<ChaosRow>> RunAsync(ChaosOptions options, Action<string> progress, CancellationToken cancellation)
    {
        var samples = new ConcurrentBag<Sample>();
        var acknowledged = new ConcurrentDictionary<string, ConcurrentBag<string>>();
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = options.Connections, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        using var client = new HttpClient(handler) { BaseAddress = options.Balancer, Timeout = TimeSpan.FromSeconds(30) };
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        stop.CancelAfter(TimeSpan.FromSeconds(options.Seconds));
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, options.Connections).Select(worker => Task.Run(async () =>
        {
            var random = new Random(worker);
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var user = $"chaos-{random.Next(options.Users)}";
                var posting = random.NextDouble() < options.EventShare;
                var query = $"c{worker}-{n}";
                var start = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                string? failure;
                try
                {
                    using var request = posting
                        ? new HttpRequestMessage(HttpMethod.Post, "/v1/events") { Content = JsonContent.Create(new EventBatch(user, [new EventRequest("search", Query: query)])) }
                        : new HttpRequestMessage(HttpMethod.Post, "/v1/recommendations") { Content = JsonContent.Create(new RecommendationRequest(user, 20)) };
                    // Each batch names itself, so the load balancer may retry it on another replica.
                    request.Headers.Add("Idempotency-Key", query);
                    using var response = await client.SendAsync(request, CancellationToken.None);
                    await response.Content.ReadAsByteArrayAsync(CancellationToken.None);
                    failure = response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode}";
                }
                catch (HttpRequestException error)
                {
                    failure = error.HttpRequestError.ToString();
                }
                catch (TaskCanceledException)
                {
                    failure = "timeout";
                }
                if (posting && failure is null)
                {
                    acknowledged.GetOrAdd(user, _ => []).Add(query);
                }
                samples.Add(new Sample(start, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), posting ? "events" : "recommendations", failure));
            }
        }, CancellationToken.None)).ToList();
        using (var ticker = new PeriodicTimer(TimeSpan.FromSeconds(5)))
        {
            while (!stop.IsCancellationRequested && await ticker.WaitForNextTickAsync(CancellationToken.None))
            {
                var all = samples.ToArray();
                progress($"chaos: {clock.Elapsed.TotalSeconds:F0}/{options.Seconds} s, {all.Length:N0} requests, {all.Count(s => s.Failure is not null):N0} failed");
            }
        }
        await Task.WhenAll(workers);

        var lost = await CountLostAsync(options.Store, acknowledged, progress);
        var ordered = samples.OrderBy(s => s.StartMs).ToList();
        var faults = ReadFaults(options.FaultsFile);
        var rows = new List<ChaosRow>();
        for (var i = 0; i < faults.Count; i++)
        {
            var (at, name) = faults[i];
            var next = i + 1 < faults.Count ? faults[i + 1].At : long.MaxValue;
            var window = ordered.Where(s => s.StartMs >= at && s.StartMs < next).ToList();
            var failedEnds = window.Where(s => s.Failure is not null).Select(s => s.EndMs).ToList();
            rows.Add(Row(
                name,
                window,
                Between(ordered, at - (long)Before.TotalMilliseconds, at),
                Between(ordered, at, Math.Min(next, at + (long)During.TotalMilliseconds)),
                Between(ordered, at + (long)During.TotalMilliseconds, Math.Min(next, at + (long)(During + After).TotalMilliseconds)),
                failedEnds.Count == 0 ? 0 : (failedEnds.Max() - at) / 1000.0,
                window.Count(s => s.Endpoint == "events" && s.Failure is null),
                0));
        }
        rows.Add(Row("whole run", ordered, ordered, [], [], double.NaN, acknowledged.Values.Sum(b => b.Count), lost));
        foreach (var endpoint in new[] { "recommendations", "events" })
        {
            var these = ordered.Where(s => s.Endpoint == endpoint).ToList();
            rows.Add(Row($"whole run: {endpoint}", these, these, [], [], double.NaN, these.Count(s => s.Endpoint == "events" && s.Failure is null), 0));
        }
        return rows;
    }

    private static ChaosRow Row(string phase, List<Sample> window, List<Sample> before, List<Sample> during, List<Sample> after, double recovery, int acknowledged, int lost) => new(
        phase,
        window.Count,
        window.Count(s => s.Failure is not null),
        Percentile(before, 0.50),
        Percentile(before, 0.99),
        Percentile(during, 0.50),
        Percentile(during, 0.99),
        Percentile(during, 1.0),
        Percentile(after, 0.50),
        Percentile(after, 0.99),
        recovery,
        acknowledged,
        lost,
        window.Where(s => s.Failure is not null).GroupBy(s => $"{s.Endpoint}: {s.Failure}").ToDictionary(g => g.Key, g => g.Count()));

    private static List<Sample> Between(List<Sample> samples, long from, long to) => [.. samples.Where(s => s.StartMs >= from && s.StartMs < to)];

    /// <summary>The latency percentile (nearest rank) of the answered requests, NaN without any.</summary>
    private static double Percentile(List<Sample> samples, double p)
    {
        var sorted = samples.Where(s => s.Failure is null).Select(s => s.LatencyMs).Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
    }

    private static async Task<int> CountLostAsync(string store, ConcurrentDictionary<string, ConcurrentBag<string>> acknowledged, Action<string> progress)
    {
        await using var events = await ExternalEventStore.OpenAsync(store);
        var lost = 0;
        foreach (var (user, queries) in acknowledged)
        {
            var stored = (await events.ReadAsync(user)).Select(e => e.Query).ToHashSet(StringComparer.Ordinal);
            lost += queries.Count(q => !stored.Contains(q));
        }
        progress($"chaos: {acknowledged.Values.Sum(b => b.Count):N0} acknowledged events looked for in the store, {lost:N0} missing");
        return lost;
    }

    private static List<(long At, string Name)> ReadFaults(string path) =>
        !File.Exists(path) ? [] : [.. File.ReadLines(path)
            .Select((line, number) => (Fields: line.Split(' ', 2, StringSplitOptions.TrimEntries), Number: number + 1))
            .Where(l => l.Fields[0].Length > 0)
            .Select(l => l.Fields.Length == 2 && long.TryParse(l.Fields[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var at)
                ? (at, l.Fields[1])
                : throw new InvalidDataException($"{path} line {l.Number}: expected \"UNIX-MILLISECONDS NAME\", got \"{string.Join(' ', l.Fields)}\""))
            .OrderBy(f => f.Item1)];
}
