using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Funnel.Candidates.Model;
using Funnel.Candidates.Training;
using Funnel.Data.Examples;
using Funnel.Data.Storage;

namespace Funnel.Benchmarks.Training;

/// <summary>What <see cref="AttentionTrainingBenchmark"/> runs.</summary>
/// <param name="Data">The Funnel dataset folder of the peer's dataset (`funnel import movielens`).</param>
/// <param name="PeerScript">Path of ../shared/peers/sasrec_peer.py, or null for Funnel alone.</param>
/// <param name="PeerDataset">The peer's name of the dataset (its first argument, e.g. ml100k).</param>
/// <param name="Rounds">Interleaved rounds (the peer, then Funnel).</param>
/// <param name="Epochs">Epochs per run; the first is a warm-up, targets/s are of the others.</param>
/// <param name="BatchSize">Funnel's examples per step: 5,120 is the peer's 128 windows of about 40 targets.</param>
/// <param name="WindowStride">Funnel's window stride: 50, the history length, cuts the sequences as the peer does (windows that do not overlap).</param>
/// <param name="Seed">Both systems' seed.</param>
public sealed record AttentionTrainingBenchmarkOptions(string Data, string? PeerScript, string PeerDataset = "ml100k", int Rounds = 3, int Epochs = 3, int BatchSize = 5_120, int WindowStride = AttentionTrainingBenchmark.History, int Seed = 1);

/// <summary>One run of the attention benchmark (`funnel bench attention --json` rows).</summary>
/// <param name="Round">Which interleaved round (1-based).</param>
/// <param name="System">funnel-attention or sasrec-pytorch.</param>
/// <param name="TargetsPerEpoch">Next-watch targets trained per epoch.</param>
/// <param name="TargetsPerS">Targets per second of training over epochs 2 … E (validation excluded).</param>
/// <param name="PeerRatio">Funnel's targets/s over the peer's of the same round; NaN for the peer and without one.</param>
public sealed record AttentionTrainingBenchmarkRow(int Round, string System, long TargetsPerEpoch, double TargetsPerS, double PeerRatio = double.NaN);

/// <summary>
/// funnel bench attention: the attention encoder's training throughput against the SASRec peer on
/// the same sequences, in interleaved rounds. Both train the same model: 64-d, 2 blocks, 1 head,
/// 50 positions, the item table shared with the output, dropout 0.2, the full softmax, Adam; Funnel
/// with the recipe of docs/results.md (every watch a label, every position of every user, dense
/// tables) on the field's leave-one-out split, as the peer holds out each user's last item.
/// </summary>
public static partial class AttentionTrainingBenchmark
{
    /// <summary>History positions of both encoders.</summary>
    public const int History = 50;

    /// <summary>Runs the rounds; logs each run, each pair's ratio and the median ratio.</summary>
    public static async Task<IReadOnlyList<AttentionTrainingBenchmarkRow>> RunAsync(AttentionTrainingBenchmarkOptions options, Action<string> log, CancellationToken cancellation = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.Rounds);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Epochs, 2);
        var dataset = await Dataset.OpenAsync(options.Data, cancellation).ConfigureAwait(false);
        var timelines = await TimelineLoader.LoadAsync(dataset, cancellation).ConfigureAwait(false);
        var split = DataSplit.Create(timelines, new SplitOptions(SplitKind.LastInteraction), new ExampleOptions(MaxWatchHistory: History, MaxExamplesPerUser: 1_000, LabelThreshold: 0f, Seed: options.Seed));
        var rows = new List<AttentionTrainingBenchmarkRow>();
        for (var round = 1; round <= options.Rounds; round++)
        {
            AttentionTrainingBenchmarkRow? peer = null;
            if (options.PeerScript is not null)
            {
                peer = MeasurePeer(options, round);
                rows.Add(peer);
                log(Describe(peer));
            }
            var funnel = MeasureFunnel(options, split, round, cancellation);
            rows.Add(peer is null ? funnel : funnel with { PeerRatio = Math.Round(funnel.TargetsPerS / peer.TargetsPerS, 3) });
            log(Describe(rows[^1]));
        }
        var ratios = rows.Where(r => !double.IsNaN(r.PeerRatio)).Select(r => r.PeerRatio).Order().ToArray();
        if (ratios.Length > 0)
        {
            var median = ratios.Length % 2 == 1 ? ratios[ratios.Length / 2] : (ratios[(ratios.Length / 2) - 1] + ratios[ratios.Length / 2]) / 2;
            log(string.Create(CultureInfo.InvariantCulture, $"bench attention: Funnel / SASRec peer median {median:F2}× over {ratios.Length} interleaved pair(s) ({string.Join(", ", ratios.Select(r => r.ToString("F2", CultureInfo.InvariantCulture)))})"));
        }
        return rows;
    }

    private static AttentionTrainingBenchmarkRow MeasureFunnel(AttentionTrainingBenchmarkOptions options, DataSplit split, int round, CancellationToken cancellation)
    {
        var shape = new NetworkShape(64, [], Encoder: HistoryEncoderKind.Attention, AttentionBlocks: 2, AttentionHeads: 1, Dropout: 0.2, SparseTables: false, TiedVideoTables: true);
        var training = new CandidateTrainingOptions(Epochs: options.Epochs, BatchSize: options.BatchSize, Seed: options.Seed, Patience: options.Epochs, FullSoftmax: true, WindowStride: options.WindowStride);
        using var trainer = new CandidateTrainer(split, CandidateNetworkOptions.ForSplit(split, shape) with { HistoryLength = History }, training);
        var epochs = trainer.Train(cancellation: cancellation);
        // Seconds of training alone, from each epoch's examples/s: validation is not timed.
        var timed = epochs.Skip(1).ToArray();
        var seconds = timed.Sum(e => split.Train.Count / e.ExamplesPerSecond);
        return new AttentionTrainingBenchmarkRow(round, "funnel-attention", split.Train.Count, Math.Round(split.Train.Count * timed.Length / seconds));
    }

    private static AttentionTrainingBenchmarkRow MeasurePeer(AttentionTrainingBenchmarkOptions options, int round)
    {
        var epochs = options.Epochs.ToString(CultureInfo.InvariantCulture);
        var (_, stderr) = PeerScript.Output(options.PeerScript!, PeerScript.TunedEnvironment(), options.PeerDataset, "--epochs", epochs, "--eval-every", "1000", "--patience", "1000", "--maxlen", History.ToString(CultureInfo.InvariantCulture), "--seed", options.Seed.ToString(CultureInfo.InvariantCulture), "--json");
        var targets = TargetsLine().Match(stderr) is { Success: true } match
            ? long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)
            : throw new InvalidOperationException($"{options.PeerScript} did not log its targets per epoch");
        var clock = stderr.Split('\n')
            .Where(line => line.StartsWith("{\"epoch\"", StringComparison.Ordinal))
            .Select(line => JsonDocument.Parse(line).RootElement.GetProperty("t").GetDouble())
            .ToArray();
        if (clock.Length != options.Epochs)
        {
            throw new InvalidOperationException($"{options.PeerScript} logged {clock.Length} epochs, expected {options.Epochs}");
        }
        return new AttentionTrainingBenchmarkRow(round, "sasrec-pytorch", targets, Math.Round(targets * (clock.Length - 1) / (clock[^1] - clock[0])));
    }

    private static string Describe(AttentionTrainingBenchmarkRow row) =>
        string.Create(CultureInfo.InvariantCulture, $"bench attention: round {row.Round} {row.System}: {row.TargetsPerS:N0} targets/s ({row.TargetsPerEpoch:N0} an epoch){(double.IsNaN(row.PeerRatio) ? "" : $", {row.PeerRatio:F2}× the peer")}");

    [GeneratedRegex(@"targets (\d+)")]
    private static partial Regex TargetsLine();
}
