using System.Diagnostics;
using System.Globalization;
using Funnel.Ranking.Features;
using Funnel.Ranking.Inference;
using Funnel.Ranking.Model;
using Funnel.Ranking.Training;
using static TorchSharp.torch;

namespace Funnel.Benchmarks.Ranking;

/// <summary>One ranking measurement (`funnel bench ranking --json` rows).</summary>
/// <param name="Stage">"score" (one request's candidates encoded and scored) or "train" (training steps).</param>
/// <param name="Tower">The ranker's hidden layers.</param>
/// <param name="Candidates">Candidates per request (score) or impressions per step (train).</param>
/// <param name="P50Ms">Median milliseconds per request (score) or per step (train).</param>
/// <param name="P99Ms">99th percentile milliseconds.</param>
/// <param name="EncodeShareP50">Share of the median request spent encoding (vocabulary lookups, normalisation); 0 for training.</param>
/// <param name="PerSecond">Requests/s (score, one thread of requests) or impressions/s (train).</param>
public sealed record RankingBenchmarkRow(string Stage, string Tower, int Candidates, double P50Ms, double P99Ms, double EncodeShareP50, double PerSecond);

/// <summary>
/// funnel bench ranking: the latency of ranking one request's candidates (100, 300, 1,000: encode
/// each <see cref="RankingInput"/> through the feature space, then one batched forward pass, the
/// path <see cref="RankingModel.Logits"/> runs) and training throughput. Uses a trained model
/// folder's ranker, or a paper-sized one (100k videos, 1024→512→256) with random weights.
/// </summary>
public static class RankingBenchmark
{
    /// <summary>Measures every candidate count, then training.</summary>
    public static IReadOnlyList<RankingBenchmarkRow> Run(string? modelFolder, IReadOnlyList<int> candidateCounts, double seconds, Action<string> log)
    {
        manual_seed(1);
        RankingFeatureSpace space;
        RankingNetwork network;
        if (modelFolder is not null)
        {
            var (manifest, saved) = RankingModelFolder.ReadStage(modelFolder);
            space = saved;
            network = RankingModelFolder.LoadNetwork(modelFolder, manifest);
        }
        else
        {
            space = PaperSizedSpace();
            network = new RankingNetwork(RankingData.Shape(space, RankingNetworkOptions.PaperTower));
        }
        using (network)
        {
            var random = new Random(1);
            var rows = new List<RankingBenchmarkRow>();
            foreach (var count in candidateCounts)
            {
                // One user: every candidate carries the same recent-watch list, as in a served request.
                var user = RandomInput(space, random);
                var request = Enumerable.Range(0, count).Select(_ => RandomInput(space, random) with { RecentWatchIds = user.RecentWatchIds }).ToList();
                rows.Add(MeasureScoring(space, network, request, seconds));
                log(string.Create(CultureInfo.InvariantCulture, $"bench ranking: {count} candidates: p50 {rows[^1].P50Ms:F2} ms, p99 {rows[^1].P99Ms:F2} ms, encoding {100 * rows[^1].EncodeShareP50:F0}% of the median"));
            }
            rows.Add(MeasureTraining(space, network.Options, seconds, random));
            log(string.Create(CultureInfo.InvariantCulture, $"bench ranking: training {rows[^1].PerSecond:N0} impressions/s at batch {rows[^1].Candidates}"));
            return rows;
        }
    }

    private static RankingBenchmarkRow MeasureScoring(RankingFeatureSpace space, RankingNetwork network, List<RankingInput> request, double seconds)
    {
        var rows = Enumerable.Range(0, request.Count).ToArray();
        for (var i = 0; i < 10; i++)
        {
            network.Score(space.Encode(request), rows);
        }
        var totals = new List<double>();
        var encodes = new List<double>();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < seconds || totals.Count < 50)
        {
            var start = Stopwatch.GetTimestamp();
            var encoded = space.Encode(request);
            var encodedAt = Stopwatch.GetTimestamp();
            network.Score(encoded, rows);
            var end = Stopwatch.GetTimestamp();
            totals.Add(Stopwatch.GetElapsedTime(start, end).TotalMilliseconds);
            encodes.Add(Stopwatch.GetElapsedTime(start, encodedAt).TotalMilliseconds);
        }
        var p50 = Percentile(totals, 0.5);
        return new RankingBenchmarkRow("score", network.Options.TowerName, request.Count, Math.Round(p50, 3), Math.Round(Percentile(totals, 0.99), 3), Math.Round(Percentile(encodes, 0.5) / p50, 3), Math.Round(totals.Count / clock.Elapsed.TotalSeconds, 1));
    }

    private static RankingBenchmarkRow MeasureTraining(RankingFeatureSpace space, RankingNetworkOptions shape, double seconds, Random random)
    {
        const int batch = 512;
        var inputs = Enumerable.Range(0, batch * 40).Select(_ => RandomInput(space, random)).ToList();
        var encoded = space.Encode(inputs);
        var clicked = inputs.Select(_ => random.NextDouble() < 0.2).ToArray();
        var watch = clicked.Select(c => c ? (float)(random.NextDouble() * 600) : 0f).ToArray();
        // Warm-up epoch, then whole epochs until the time is spent.
        using (var warmUp = new RankingTrainer(shape, encoded, clicked, watch, new RankingTrainingOptions(Epochs: 1, BatchSize: batch)))
        {
            warmUp.Train();
        }
        var steps = new List<double>();
        var clock = Stopwatch.StartNew();
        var impressions = 0L;
        while (clock.Elapsed.TotalSeconds < seconds || steps.Count == 0)
        {
            using var trainer = new RankingTrainer(shape, encoded, clicked, watch, new RankingTrainingOptions(Epochs: 1, BatchSize: batch));
            var history = trainer.Train();
            steps.Add(1000 * history[0].Seconds / (encoded.Count / batch));
            impressions += encoded.Count;
        }
        return new RankingBenchmarkRow("train", shape.TowerName, batch, Math.Round(Percentile(steps, 0.5), 3), Math.Round(Percentile(steps, 0.99), 3), 0, Math.Round(impressions / clock.Elapsed.TotalSeconds, 0));
    }

    /// <summary>A feature space of the paper's scale: 100k videos, 20k channels, every continuous feature.</summary>
    private static RankingFeatureSpace PaperSizedSpace()
    {
        static RankingVocabulary Ids(string name, string prefix, int count) => new(name, [.. Enumerable.Range(0, count).Select(i => prefix + i.ToString(CultureInfo.InvariantCulture))]);
        var random = new Random(2);
        var features = ContinuousFeatures.All;
        return new RankingFeatureSpace(
            Ids("videos", "v", 100_000),
            Ids("channels", "c", 20_000),
            Ids("languages", "l", 50),
            Ids("devices", "d", 8),
            Ids("regions", "r", 200),
            features,
            [.. features.Select(f => QuantileNormalizer.Fit(ContinuousFeatures.Name(f), [.. Enumerable.Range(0, 10_000).Select(_ => random.NextDouble() * 1e5)]))]);
    }

    private static RankingInput RandomInput(RankingFeatureSpace space, Random random)
    {
        string Pick(RankingVocabulary vocabulary) => vocabulary.Ids.Count == 0 ? "" : vocabulary.Ids[random.Next(vocabulary.Ids.Count)];
        var counters = new ImpressionCounters(random.NextDouble() * 1e6, random.NextDouble() * 1e6, random.Next(5), random.Next(20));
        return new RankingInput(
            Pick(space.Videos), Pick(space.Channels), Pick(space.Languages), 1_700_000_000 - random.Next(10_000_000), random.Next(60, 3_600),
            Pick(space.Languages), Pick(space.Devices), Pick(space.Regions),
            [.. Enumerable.Range(0, UserActivity.MaxRecent).Select(_ => Pick(space.Videos))],
            counters,
            new CandidateNomination((float)random.NextDouble(), random.Next(1, 1_000)),
            1_700_000_000,
            new SourceSignals((float)random.NextDouble(), random.Next(100)));
    }

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        return sorted[Math.Min(sorted.Length - 1, (int)Math.Floor(p * sorted.Length))];
    }
}
