using System.CommandLine;
using Funnel.Benchmarks.Training;
using Funnel.Cli.Hosting;

namespace Funnel.Cli.Commands.Bench;

/// <summary>funnel bench attention: the attention encoder's training throughput against the SASRec peer.</summary>
internal sealed class BenchAttentionCommand : TypedCommand<BenchAttentionCommand.Arguments>
{
    private static readonly AttentionTrainingBenchmarkOptions Defaults = new("", null);

    private readonly Option<string> data = CommonOptions.RequiredPath("--data", "Funnel dataset folder of the peer's dataset (funnel import movielens --source ../shared/datasets/ml-100k)");
    private readonly Option<string?> peer = new("--peer") { Description = "Path of ../shared/peers/sasrec_peer.py: interleave its runs with Funnel's (needs Debian's python3-torch)" };
    private readonly Option<string> peerDataset = new("--peer-dataset") { Description = "The peer's name of the same dataset", DefaultValueFactory = _ => Defaults.PeerDataset };
    private readonly Option<int> rounds = new("--rounds") { Description = "Interleaved rounds (the peer, then Funnel); the median ratio is logged", DefaultValueFactory = _ => Defaults.Rounds };
    private readonly Option<int> epochs = new("--epochs") { Description = "Epochs per run (≥ 2): the first warms up, targets/s are of the others", DefaultValueFactory = _ => Defaults.Epochs };
    private readonly Option<int> batch = new("--batch") { Description = "Funnel's examples per step (5,120: the peer's 128 windows)", DefaultValueFactory = _ => Defaults.BatchSize };
    private readonly Option<int> windowStride = new("--window-stride") { Description = "Funnel's window stride (50: windows that do not overlap, as the peer cuts them)", DefaultValueFactory = _ => Defaults.WindowStride };
    private readonly Option<int> seed = CommonOptions.Seed();
    private readonly Option<bool> json = CommonOptions.Json();

    /// <summary>What the benchmark was asked.</summary>
    internal sealed record Arguments(AttentionTrainingBenchmarkOptions Benchmark, bool Json);

    protected override string Name => "attention";

    protected override string Description => "Attention-encoder training targets/s against the SASRec PyTorch peer on the same sequences, interleaved";

    protected override IEnumerable<Option> Options => [data, peer, peerDataset, rounds, epochs, batch, windowStride, seed, json];

    protected override Arguments Bind(ParseResult parse) => new(
        new AttentionTrainingBenchmarkOptions(
            parse.GetRequiredValue(data),
            parse.GetValue(peer),
            parse.GetRequiredValue(peerDataset),
            parse.GetValue(rounds) is > 0 and var count ? count : throw new ArgumentException($"--rounds: expected a positive count, got {parse.GetValue(rounds)}"),
            parse.GetValue(epochs) is >= 2 and var e ? e : throw new ArgumentException($"--epochs: expected at least 2, got {parse.GetValue(epochs)}"),
            parse.GetValue(batch),
            parse.GetValue(windowStride),
            parse.GetValue(seed)),
        parse.GetValue(json));

    protected override async Task<int> RunAsync(Arguments arguments, CancellationToken cancellation) => BenchOutput.Print(
        await AttentionTrainingBenchmark.RunAsync(arguments.Benchmark, ProgressLog.Line, cancellation),
        arguments.Json,
        new Column<AttentionTrainingBenchmarkRow>("round", r => r.Round),
        new Column<AttentionTrainingBenchmarkRow>("system", r => r.System, Numeric: false),
        new Column<AttentionTrainingBenchmarkRow>("targets an epoch", r => r.TargetsPerEpoch, Format: "N0"),
        new Column<AttentionTrainingBenchmarkRow>("targets/s", r => r.TargetsPerS, Format: "N0"),
        new Column<AttentionTrainingBenchmarkRow>("× peer", r => r.PeerRatio));
}
