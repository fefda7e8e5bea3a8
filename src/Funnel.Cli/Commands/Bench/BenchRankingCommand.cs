using System.CommandLine;
using Funnel.Benchmarks.Ranking;
using Funnel.Cli.Hosting;

namespace Funnel.Cli.Commands.Bench;

/// <summary>funnel bench ranking: ranker latency per request and training throughput.</summary>
internal sealed class BenchRankingCommand : TypedCommand<BenchRankingCommand.Arguments>
{
    private readonly Option<string?> model = new("--model") { Description = "A model folder whose trained ranker to measure (default: a paper-sized ranker, 100k videos, 1024→512→256, random weights)" };
    private readonly Option<string> candidates = new("--candidates") { Description = "Candidates per request", DefaultValueFactory = _ => "100,300,1000" };
    private readonly Option<double> seconds = new("--seconds") { Description = "Shortest timed period per measurement", DefaultValueFactory = _ => 5.0 };
    private readonly Option<bool> json = CommonOptions.Json();

    /// <summary>What the benchmark was asked.</summary>
    internal sealed record Arguments(string? Model, IReadOnlyList<int> Candidates, double Seconds, bool Json);

    protected override string Name => "ranking";

    protected override string Description => "Ranker latency for one request's candidates (encode + batched forward) and training throughput";

    protected override IEnumerable<Option> Options => [model, candidates, seconds, json];

    protected override Arguments Bind(ParseResult parse) =>
        new(parse.GetValue(model), OptionParsing.IntList("--candidates", parse.GetRequiredValue(candidates)), parse.GetValue(seconds), parse.GetValue(json));

    protected override Task<int> RunAsync(Arguments arguments, CancellationToken cancellation) => Task.FromResult(BenchOutput.Print(
        RankingBenchmark.Run(arguments.Model, arguments.Candidates, arguments.Seconds, ProgressLog.Line),
        arguments.Json,
        new Column<RankingBenchmarkRow>("stage", r => r.Stage, Numeric: false),
        new Column<RankingBenchmarkRow>("tower", r => r.Tower, Numeric: false),
        new Column<RankingBenchmarkRow>("candidates or batch", r => r.Candidates, Format: "N0"),
        new Column<RankingBenchmarkRow>("p50 ms", r => r.P50Ms),
        new Column<RankingBenchmarkRow>("p99 ms", r => r.P99Ms),
        new Column<RankingBenchmarkRow>("encoding share of p50", r => r.EncodeShareP50, Format: "P0"),
        new Column<RankingBenchmarkRow>("per second", r => r.PerSecond, Format: "N0")));
}
