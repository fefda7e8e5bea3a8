using System.Diagnostics;
using System.Net.Http.Json;
using Funnel.Serving.Contracts;

namespace Funnel.Benchmarks.Serving;

/// <summary>
/// A closed-loop HTTP load generator: <c>connections</c> workers, each with one connection, each
/// sending POST /v1/recommendations for a random user as soon as its previous answer arrived, for a
/// fixed time. Latency is measured per request, from send to the whole body read.
/// </summary>
public static class LoadGenerator
{
    /// <summary>The measured figures of one run.</summary>
    public sealed record Result(double Seconds, List<double> LatenciesMs, IReadOnlyDictionary<string, int> ErrorKinds)
    {
        /// <summary>Failed requests of every kind.</summary>
        public int Errors => ErrorKinds.Values.Sum();

        /// <summary>Answered requests per second.</summary>
        public double Rps => LatenciesMs.Count / Seconds;

        /// <summary>A latency percentile (nearest rank) in milliseconds.</summary>
        public double Percentile(double p)
        {
            if (LatenciesMs.Count == 0)
            {
                return double.NaN;
            }
            var sorted = LatenciesMs.Order().ToArray();
            return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
        }
    }

    /// <summary>Runs the load for <paramref name="duration"/>, and longer if <paramref name="during"/> (e.g. model reloads) takes longer: the load ends when both have.</summary>
    public static async Task<Result> RunAsync(Uri service, int connections, TimeSpan duration, IReadOnlyList<string> users, int k, long time, Func<CancellationToken, Task>? during = null)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        using var client = new HttpClient(handler) { BaseAddress = service, Timeout = TimeSpan.FromSeconds(30) };
        using var stop = new CancellationTokenSource();
        var latencies = new List<double>[connections];
        var errors = new Dictionary<string, int>[connections];
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, connections).Select(worker => Task.Run(async () =>
        {
            var random = new Random(worker);
            var mine = latencies[worker] = [];
            var failed = errors[worker] = [];
            while (!stop.IsCancellationRequested)
            {
                var request = new RecommendationRequest(users[random.Next(users.Count)], k, Time: time);
                var start = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await client.PostAsJsonAsync("/v1/recommendations", request, CancellationToken.None);
                    await response.Content.ReadAsByteArrayAsync(CancellationToken.None);
                    if (response.IsSuccessStatusCode)
                    {
                        mine.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                    }
                    else
                    {
                        Count(failed, $"HTTP {(int)response.StatusCode}");
                    }
                }
                catch (HttpRequestException exception)
                {
                    Count(failed, exception.HttpRequestError.ToString());
                }
                catch (TaskCanceledException)
                {
                    Count(failed, "timeout");
                }
            }
        })).ToList();
        await Task.WhenAll(during?.Invoke(stop.Token) ?? Task.CompletedTask, Task.Delay(duration));
        await stop.CancelAsync();
        await Task.WhenAll(workers);
        var kinds = errors.SelectMany(e => e).GroupBy(e => e.Key).ToDictionary(g => g.Key, g => g.Sum(e => e.Value));
        return new Result(clock.Elapsed.TotalSeconds, [.. latencies.SelectMany(l => l)], kinds);
    }

    private static void Count(Dictionary<string, int> failed, string kind) =>
        failed[kind] = failed.GetValueOrDefault(kind) + 1;
}
