using System.CommandLine;
using Funnel.Benchmarks.Training;
using Funnel.Candidates.Model;
using Funnel.Cli.Hosting;

namespace Funnel.Cli.Commands.Bench;

/// <summary>funnel bench training: candidate-network training throughput at the paper's size.</summary>
internal sealed class BenchTrainingCommand : TypedCommand<BenchTrainingCommand.Arguments>
{
    private static readonly string[] Optimizers = ["adagrad", "lazy-adam"];
    private static readonly Dictionary<string, HistoryEncoderKind> Encoders = new() { ["mean"] = HistoryEncoderKind.Mean, ["attention"] = HistoryEncoderKind.Attention };
    private static readonly TrainingBenchmarkOptions Defaults = new([100_000, 1_000_000], Optimizers);

    private readonly Option<string> videos = new("--videos") { Description = "Video vocabulary sizes", DefaultValueFactory = _ => string.Join(',', Defaults.Videos) };
    private readonly Option<string> optimizers = new("--optimizers") { Description = "Embedding-table optimisers: adagrad, lazy-adam", DefaultValueFactory = _ => string.Join(',', Optimizers) };
    private readonly Option<int> negatives = new("--negatives") { Description = "Sampled negatives per batch", DefaultValueFactory = _ => Defaults.Negatives };
    private readonly Option<double> seconds = new("--seconds") { Description = "Shortest timed period per configuration", DefaultValueFactory = _ => Defaults.MinSeconds };
    private readonly Option<string?> peer = new("--peer") { Description = "Path of ../shared/peers/train_bench.py: run PyTorch back to back (needs Debian's python3-torch)" };
    private readonly Option<string> encoders = new("--encoders") { Description = "History encoders: mean (the paper's bag, the peer's model) and/or attention (trained on sequence windows)", DefaultValueFactory = _ => "mean" };
    private readonly Option<int> rounds = new("--rounds") { Description = "Interleaved rounds of every configuration (Funnel, then the peer); with --peer the median ratio is logged", DefaultValueFactory = _ => Defaults.Rounds };
    private readonly Option<bool> json = CommonOptions.Json();

    /// <summary>What the benchmark was asked.</summary>
    internal sealed record Arguments(TrainingBenchmarkOptions Benchmark, bool Json);

    protected override string Name => "training";

    protected override string Description => "Candidate network training throughput and memory at the paper's size (log-uniform ids)";

    protected override IEnumerable<Option> Options => [videos, optimizers, encoders, negatives, seconds, peer, rounds, json];

    protected override Arguments Bind(ParseResult parse)
    {
        var chosen = OptionParsing.Names(parse.GetRequiredValue(optimizers));
        if (chosen.Any(o => !Optimizers.Contains(o)))
        {
            throw new ArgumentException($"--optimizers: expected adagrad and/or lazy-adam, got '{parse.GetValue(optimizers)}'");
        }
        var benchmark = Defaults with
        {
            Videos = OptionParsing.IntList("--videos", parse.GetRequiredValue(videos)),
            Optimizers = chosen,
            Negatives = parse.GetValue(negatives),
            MinSeconds = parse.GetValue(seconds),
            PeerScript = parse.GetValue(peer),
            Rounds = parse.GetValue(rounds) is > 0 and var count ? count : throw new ArgumentException($"--rounds: expected a positive count, got {parse.GetValue(rounds)}"),
            Encoders = [.. OptionParsing.Names(parse.GetRequiredValue(encoders)).Select(name => OptionParsing.Choice("--encoders", name, Encoders))],
        };
        return new Arguments(benchmark, parse.GetValue(json));
    }

    protected override Task<int> RunAsync(Arguments arguments, CancellationToken cancellation) => Task.FromResult(BenchOutput.Print(
        TrainingBenchmark.Run(arguments.Benchmark, ProgressLog.Line),
        arguments.Json,
        new Column<TrainingBenchmarkRow>("round", r => r.Round),
        new Column<TrainingBenchmarkRow>("system", r => r.System, Numeric: false),
        new Column<TrainingBenchmarkRow>("videos", r => r.Videos, Format: "N0"),
        new Column<TrainingBenchmarkRow>("optimizer", r => r.Optimizer, Numeric: false),
        new Column<TrainingBenchmarkRow>("examples/s", r => r.ExamplesPerS, Format: "N0"),
        new Column<TrainingBenchmarkRow>("ms/step", r => r.MsPerStep),
        new Column<TrainingBenchmarkRow>("× peer", r => r.PeerRatio),
        new Column<TrainingBenchmarkRow>("peak MB", r => r.PeakMb, Format: "N0"),
        new Column<TrainingBenchmarkRow>("RSS growth MB", r => r.RssGrowthMb)));
}
