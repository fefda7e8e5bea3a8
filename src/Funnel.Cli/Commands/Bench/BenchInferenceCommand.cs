using System.CommandLine;
using Funnel.Benchmarks.Training;
using Funnel.Cli.Hosting;

namespace Funnel.Cli.Commands.Bench;

/// <summary>funnel bench inference: user-vector latency of the paper's network.</summary>
internal sealed class BenchInferenceCommand : TypedCommand<BenchInferenceCommand.Arguments>
{
    private readonly Option<int> videos = new("--videos") { Description = "Video vocabulary size", DefaultValueFactory = _ => 1_000_000 };
    private readonly Option<double> seconds = new("--seconds") { Description = "Timed period per batch size is at least half of this", DefaultValueFactory = _ => 8.0 };
    private readonly Option<string?> peer = new("--peer") { Description = "Path of ../shared/peers/train_bench.py: run PyTorch back to back" };
    private readonly Option<bool> json = CommonOptions.Json();

    /// <summary>What the benchmark was asked.</summary>
    internal sealed record Arguments(int Videos, double Seconds, string? Peer, bool Json);

    protected override string Name => "inference";

    protected override string Description => "User-vector inference latency of the candidate network at batch 1 and 256";

    protected override IEnumerable<Option> Options => [videos, seconds, peer, json];

    protected override Arguments Bind(ParseResult parse) => new(parse.GetValue(videos), parse.GetValue(seconds), parse.GetValue(peer), parse.GetValue(json));

    protected override Task<int> RunAsync(Arguments arguments, CancellationToken cancellation) => Task.FromResult(BenchOutput.Print(
        InferenceBenchmark.Run(arguments.Videos, arguments.Seconds, arguments.Peer, ProgressLog.Line),
        arguments.Json,
        new Column<InferenceBenchmarkRow>("system", r => r.System, Numeric: false),
        new Column<InferenceBenchmarkRow>("videos", r => r.Videos, Format: "N0"),
        new Column<InferenceBenchmarkRow>("batch", r => r.Batch),
        new Column<InferenceBenchmarkRow>("ms per user vector", r => r.MsPerRequest)));
}
