using System.CommandLine;
using Funnel.Benchmarks.HotPath;
using System.Globalization;
using Funnel.Cli.Hosting;

namespace Funnel.Cli.Commands.Bench;

/// <summary>funnel bench hot-path: one slate through the recommendation pipeline under BenchmarkDotNet, with managed allocations.</summary>
internal sealed class BenchHotPathCommand : TypedCommand<BenchHotPathCommand.Arguments>
{
    private readonly Option<string> model = CommonOptions.RequiredPath("--model", "Model folder to serve (candidates, index, ranker)");
    private readonly SyntheticModelOption synthetic = new();
    private readonly Option<string?> expansions = new("--ef") { Description = "HNSW search beam widths to measure, comma-separated, each at least the 300 candidates searched for (default: the index's saved one, as searched: at least 300)" };
    private readonly Option<string?> probes = new("--probes") { Description = "IVF lists scanned per query to measure, comma-separated (default: the index's saved setting)" };
    private readonly Option<int> users = new("--users") { Description = "Users of the stage pass (stage times and recall against an exact scan)", DefaultValueFactory = _ => HotPathBenchmark.DefaultStageUsers };
    private readonly Option<string?> peerFiles = new("--peer-files") { Description = "Also write the index's vectors, 1,000 users' vectors and their exact top 100 into this folder as the ANN peer's files (ANN_TAG=hot_ for ../shared/peers/ann_bench.py)" };
    private readonly Option<bool> dry = new("--dry") { Description = "Run the benchmark once (BenchmarkDotNet's dry job), to check it works; no figure to quote" };
    private readonly Option<bool> json = CommonOptions.Json();

    /// <summary>What the benchmark was asked.</summary>
    internal sealed record Arguments(string Model, SyntheticModelRequest? Synthetic, IReadOnlyList<int> Expansions, IReadOnlyList<int> Probes, int Users, string? PeerFiles, bool Dry, bool Json);

    protected override string Name => "hot-path";

    protected override string Description => "One slate (state, user vector, retrieval, sources, ranking) under BenchmarkDotNet: mean ms and KB allocated per slate";

    protected override IEnumerable<Option> Options => [model, .. synthetic.Options, expansions, probes, users, peerFiles, dry, json];

    protected override Arguments Bind(ParseResult parse)
    {
        var beams = parse.GetValue(expansions) is { } list ? OptionParsing.IntList("--ef", list) : [];
        // Before a synthetic model is written (minutes at a million videos), not after.
        HotPathBenchmark.CheckBeams(beams, parse.GetValue(users));
        var lists = parse.GetValue(probes) is { } probeList ? OptionParsing.IntList("--probes", probeList) : [];
        if (lists.Any(p => p < 1))
        {
            throw new ArgumentException($"--probes: every count must be at least 1, got {string.Join(",", lists)}");
        }
        var request = synthetic.Bind(parse);
        SyntheticModelOption.CheckSettings(parse.GetRequiredValue(model), request, beams.Length > 0, lists.Length > 0);
        return new(parse.GetRequiredValue(model), request, beams, lists, parse.GetValue(users), parse.GetValue(peerFiles), parse.GetValue(dry), parse.GetValue(json));
    }

    protected override Task<int> RunAsync(Arguments arguments, CancellationToken cancellation)
    {
        SyntheticModelOption.WriteIfMissing(arguments.Model, arguments.Synthetic);
        return Task.FromResult(BenchOutput.Print(
            HotPathBenchmark.Run(arguments.Model, arguments.Expansions, arguments.Probes, arguments.Users, arguments.PeerFiles, arguments.Dry, ProgressLog.Line),
            arguments.Json,
            new Column<HotPathBenchmarkRow>("model", r => r.Model, Numeric: false),
            new Column<HotPathBenchmarkRow>("index", r => r.Index, Numeric: false),
            new Column<HotPathBenchmarkRow>("ef / probes", r => (r.Expansion ?? r.Probes)?.ToString(CultureInfo.InvariantCulture) ?? "", Numeric: false),
            new Column<HotPathBenchmarkRow>("ms per slate", r => r.MeanMs),
            new Column<HotPathBenchmarkRow>("± ms", r => r.StandardErrorMs),
            new Column<HotPathBenchmarkRow>("KB allocated per slate", r => r.AllocatedKbPerSlate, Format: "N1"),
            new Column<HotPathBenchmarkRow>("gen-0 collections", r => r.Gen0Collections),
            new Column<HotPathBenchmarkRow>("measurements", r => r.Measurements),
            new Column<HotPathBenchmarkRow>("user vector ms", r => r.UserVectorMs),
            new Column<HotPathBenchmarkRow>("retrieval ms", r => r.RetrievalMs),
            new Column<HotPathBenchmarkRow>("sources ms", r => r.SourcesMs),
            new Column<HotPathBenchmarkRow>("ranking ms", r => r.RankingMs),
            new Column<HotPathBenchmarkRow>("recall", r => r.Recall),
            new Column<HotPathBenchmarkRow>("stage users", r => r.StageUsers)));
    }
}
