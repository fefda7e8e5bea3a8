namespace Funnel.Benchmarks.Training;

/// <summary>What the training benchmark runs: the paper's configuration by default.</summary>
/// <param name="Videos">Video vocabulary sizes to measure.</param>
/// <param name="Optimizers">Embedding-table optimisers: adagrad (row-wise) and/or lazy-adam.</param>
/// <param name="Negatives">Sampled negatives per batch.</param>
/// <param name="BatchSize">Examples per step.</param>
/// <param name="MinSeconds">Shortest timed period per configuration.</param>
/// <param name="PeerScript">../shared/peers/train_bench.py to run PyTorch back to back, or null.</param>
/// <param name="Encoders">History encoders measured: the paper's mean bag (the peer's model) and/or the attention encoder trained on sequence windows.</param>
/// <param name="Rounds">Times every configuration is measured, Funnel and the peer interleaved, so a ratio is read as the median of pairs run side by side.</param>
public sealed record TrainingBenchmarkOptions(
    IReadOnlyList<int> Videos,
    IReadOnlyList<string> Optimizers,
    int Negatives = 4096,
    int BatchSize = 512,
    double MinSeconds = 8,
    string? PeerScript = null,
    IReadOnlyList<Funnel.Candidates.Model.HistoryEncoderKind>? Encoders = null,
    int Rounds = 1)
{
    /// <summary>The encoders actually measured (the mean bag by default).</summary>
    public IReadOnlyList<Funnel.Candidates.Model.HistoryEncoderKind> EncodersMeasured => Encoders ?? [Funnel.Candidates.Model.HistoryEncoderKind.Mean];

    /// <summary>Search-token rows, as in the peer script.</summary>
    public const int Tokens = 100_000;

    /// <summary>Watched videos and search tokens per example.</summary>
    public const int BagLength = 50;

    /// <summary>The paper's network (256-d, 1024→512→256) over <paramref name="videos"/> videos, as both benchmarks measure it.</summary>
    public static Funnel.Candidates.Model.CandidateNetworkOptions PaperNetwork(int videos) =>
        new(videos + 1, Tokens + 1, Regions: 11, Devices: 5, Languages: 8);
}
