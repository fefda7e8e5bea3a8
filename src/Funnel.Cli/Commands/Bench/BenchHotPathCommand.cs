using System.CommandLine;
using Funnel.Benchmarks.HotPath;
using Funnel.Cli.Hosting;

namespace Funnel.Cli.Commands.Bench;

/// <summary>funnel bench hot-path: one slate through the recommendation pipeline under BenchmarkDotNet, with managed allocations.</summary>
internal sealed class BenchHotPathCommand : TypedCommand<BenchHotPathCommand.Arguments>
{
    private readonly Option<string> model = CommonOptions.RequiredPath("--model", "Model folder to serve (candidates, index, ranker)");
    private readonly Option<int?> synthetic = SyntheticModelOption.Create();
    private readonly Option<bool> dry = new("--dry") { Description = "Run the benchmark once (BenchmarkDotNet's dry job), to check it works; no figure to quote" };
    private readonly Option<bool> json = CommonOptions.Json();

    /// <summary>What the benchmark was asked.</summary>
    internal sealed record Arguments(string Model, int? SyntheticVideos, bool Dry, bool Json);

    protected override string Name => "hot-path";

    protected override string Description => "One slate (state, user vector, retrieval, sources, ranking) under BenchmarkDotNet: mean ms and KB allocated per slate";

    protected override IEnumerable<Option> Options => [model, synthetic, dry, json];

    protected override Arguments Bind(ParseResult parse) =>
        new(parse.GetRequiredValue(model), parse.GetValue(synthetic), parse.GetValue(dry), parse.GetValue(json));

    protected override Task<int> RunAsync(Arguments arguments, CancellationToken cancellation)
    {
        SyntheticModelOption.WriteIfMissing(arguments.Model, arguments.SyntheticVideos);
        return Task.FromResult(BenchOutput.Print(
            [HotPathBenchmark.Run(arguments.Model, arguments.Dry, ProgressLog.Line)],
            arguments.Json,
            new Column<HotPathBenchmarkRow>("model", r => r.Model, Numeric: false),
            new Column<HotPathBenchmarkRow>("ms per slate", r => r.MeanMs),
            new Column<HotPathBenchmarkRow>("± ms", r => r.StandardErrorMs),
            new Column<HotPathBenchmarkRow>("KB allocated per slate", r => r.AllocatedKbPerSlate, Format: "N1"),
            new Column<HotPathBenchmarkRow>("gen-0 collections", r => r.Gen0Collections),
            new Column<HotPathBenchmarkRow>("measurements", r => r.Measurements)));
    }
}
