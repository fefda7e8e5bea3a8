using System.Diagnostics;
using System.Globalization;
using Funnel.Benchmarks.Measurement;
using Funnel.Candidates.Model;
using Funnel.Candidates.Softmax;
using Funnel.Candidates.Training;
using Funnel.Data.Examples;
using static TorchSharp.torch;

namespace Funnel.Benchmarks.Training;

/// <summary>
/// funnel bench training: examples/s and memory of the candidate network's training step at the
/// paper's size (256-d, 1024→512→256, 50 + 50 bags, batch 512, 4096 log-uniform negatives) on
/// log-uniform ids, with the protocol of ../shared/peers/train_bench.py (8 precomputed batches,
/// 3 warm-up steps, at least MinSeconds timed) so the PyTorch peer can run back to back.
/// </summary>
public static class TrainingBenchmark
{
    private const int Warmup = 3;
    private const int PrecomputedBatches = 8;

    /// <summary>
    /// Measures every (videos, optimiser) pair, each followed by the peer when configured, in
    /// <see cref="TrainingBenchmarkOptions.Rounds"/> interleaved rounds; logs each pair's ratio and,
    /// at the end, the median ratio per configuration.
    /// </summary>
    public static IReadOnlyList<TrainingBenchmarkRow> Run(TrainingBenchmarkOptions options, Action<string> log)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.Rounds);
        var rows = new List<TrainingBenchmarkRow>();
        for (var round = 1; round <= options.Rounds; round++)
        {
            foreach (var videos in options.Videos)
            {
                foreach (var optimizer in options.Optimizers)
                {
                    var first = rows.Count;
                    foreach (var encoder in options.EncodersMeasured)
                    {
                        rows.Add(MeasureFunnel(options, videos, optimizer, encoder) with { Round = round });
                        log(Describe(rows[^1]));
                    }
                    if (options.PeerScript is not null)
                    {
                        var peer = MeasurePeer(options, videos, optimizer) with { Round = round };
                        for (var i = first; i < rows.Count; i++)
                        {
                            if (rows[i].System == "funnel")
                            {
                                rows[i] = rows[i] with { PeerRatio = Math.Round(rows[i].ExamplesPerS / peer.ExamplesPerS, 3) };
                            }
                        }
                        rows.Add(peer);
                        log(Describe(rows[^1]));
                    }
                }
            }
        }
        foreach (var configuration in rows.Where(r => !double.IsNaN(r.PeerRatio)).GroupBy(r => (r.Videos, r.Optimizer)))
        {
            var ratios = configuration.Select(r => r.PeerRatio).Order().ToArray();
            log(string.Create(CultureInfo.InvariantCulture, $"bench training: V={configuration.Key.Videos:N0} {configuration.Key.Optimizer}: Funnel / PyTorch median {Median(ratios):F2}× over {ratios.Length} interleaved pair(s) ({string.Join(", ", ratios.Select(r => r.ToString("F2", CultureInfo.InvariantCulture)))})"));
        }
        return rows;
    }

    private static double Median(double[] sorted) =>
        sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;

    private static TrainingBenchmarkRow MeasureFunnel(TrainingBenchmarkOptions options, int videos, string optimizer, HistoryEncoderKind encoder)
    {
        PeakMemory.Reset();
        manual_seed(1);
        var rows = videos + 1;
        var attention = encoder == HistoryEncoderKind.Attention;
        var shape = TrainingBenchmarkOptions.PaperNetwork(videos);
        using var network = new CandidateNetwork(attention ? shape with { Encoder = HistoryEncoderKind.Attention, HistoryLength = TrainingBenchmarkOptions.BagLength } : shape);
        var training = new CandidateTrainingOptions(
            BatchSize: options.BatchSize,
            SparseOptimizer: optimizer == "lazy-adam" ? SparseOptimizerKind.LazyAdam : SparseOptimizerKind.Adagrad,
            Softmax: new SampledSoftmaxOptions(options.Negatives));
        var sampler = new LogUniformSampler(rows);
        using var step = new CandidateTrainingStep(network, training, sampler, sampler);
        var random = new Random(1);
        var batches = Enumerable.Range(0, PrecomputedBatches).Select(_ => SyntheticBatch(options.BatchSize, rows, random, attention)).ToArray();

        network.train();
        for (var i = 0; i < Warmup; i++)
        {
            step.Run(batches[i % batches.Length], random);
        }
        var afterWarmup = PeakMemory.CurrentMegabytes();
        var clock = Stopwatch.StartNew();
        var steps = 0;
        while (clock.Elapsed.TotalSeconds < options.MinSeconds || steps < 3)
        {
            step.Run(batches[(Warmup + steps) % batches.Length], random);
            steps++;
        }
        var seconds = clock.Elapsed.TotalSeconds;
        return new TrainingBenchmarkRow(attention ? "funnel-attention" : "funnel", videos, optimizer, Math.Round(steps * options.BatchSize / seconds), Math.Round(PeakMemory.Megabytes()), steps, Math.Round(1000 * seconds / steps, 1), Math.Round(PeakMemory.CurrentMegabytes() - afterWarmup));
    }

    /// <summary>
    /// A batch of log-uniform ids, as the peer makes them: 50 watches, 50 tokens, random ages. For
    /// the attention encoder the watches are windows of 50, each example reading one of the newest
    /// half of a window's positions, as training on sequences does (<see cref="TrainingSequences"/>).
    /// </summary>
    private static CandidateBatch SyntheticBatch(int size, int rows, Random random, bool windows)
    {
        var batch = new CandidateBatch(size, TrainingBenchmarkOptions.BagLength);
        const int length = TrainingBenchmarkOptions.BagLength;
        var owned = (length + 1) / 2;
        var videos = new LogUniformSampler(rows);
        var tokens = new LogUniformSampler(TrainingBenchmarkOptions.Tokens + 1);
        Span<long> watched = stackalloc long[TrainingBenchmarkOptions.BagLength];
        Span<long> searched = stackalloc long[TrainingBenchmarkOptions.BagLength];
        Span<long> label = stackalloc long[1];
        for (var i = 0; i < size; i++)
        {
            videos.Sample(random, watched);
            tokens.Sample(random, searched);
            videos.Sample(random, label);
            if (windows && i % owned == 0)
            {
                batch.AddWindow(watched);
            }
            var slot = batch.Add(windows ? [] : watched, searched, label[0], 1 + random.Next(10), 1 + random.Next(4), 1 + random.Next(7), 1 + random.Next(2), 13 + random.Next(60), random.NextDouble());
            if (windows)
            {
                batch.HistoryPositions[slot] = ((batch.WindowCount - 1) * (long)length) + length - owned + (i % owned);
            }
        }
        return batch;
    }

    private static TrainingBenchmarkRow MeasurePeer(TrainingBenchmarkOptions options, int videos, string optimizer)
    {
        var result = PeerScript.Run(options.PeerScript!, options.MinSeconds, "train", videos.ToString(CultureInfo.InvariantCulture), options.Negatives.ToString(CultureInfo.InvariantCulture), optimizer == "lazy-adam" ? "sparse_adam" : "sparse_adagrad");
        return new TrainingBenchmarkRow(
            "pytorch",
            videos,
            optimizer,
            Math.Round(result.GetProperty("ex_per_s").GetDouble()),
            Math.Round(result.GetProperty("peak_rss_mib").GetDouble()),
            result.GetProperty("steps").GetInt32(),
            Math.Round(result.GetProperty("ms_per_step").GetDouble(), 1),
            double.NaN);
    }

    private static string Describe(TrainingBenchmarkRow row) =>
        string.Create(CultureInfo.InvariantCulture, $"bench training: {row.System} V={row.Videos:N0} {row.Optimizer}: {row.ExamplesPerS:N0} examples/s ({row.MsPerStep} ms/step, {row.Steps} steps), peak {row.PeakMb:N0} MB, RSS growth {row.RssGrowthMb} MB");
}
