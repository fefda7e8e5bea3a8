using System.CommandLine;
using Funnel.Benchmarks.Retrieval;
using Funnel.Cli.Hosting;

namespace Funnel.Cli.Commands.Bench;

/// <summary>funnel bench retrieval: exact and HNSW search on a generated or a model's vector set.</summary>
internal sealed class BenchRetrievalCommand : TypedCommand<BenchRetrievalCommand.Arguments>
{
    private readonly Option<string> data = new("--data-dir") { Description = "Folder of ../shared/peers/gen_ann_data.py's raw files", DefaultValueFactory = _ => Path.Combine(Environment.GetEnvironmentVariable("PEERS_OUT") ?? Path.Combine(Path.GetTempPath(), "funnel-peers"), "data") };
    private readonly Option<int> count = new("--n") { Description = "Stored vectors (the N of base_{N}x{D}.f32)", DefaultValueFactory = _ => 300_000 };
    private readonly Option<int> dimensions = new("--dim") { Description = "Vector length", DefaultValueFactory = _ => 256 };
    private readonly Option<string> tag = new("--tag") { Description = "File-name prefix of the set (gen_ann_data.py's lr_, gen_cos.py's cos_)", DefaultValueFactory = _ => "" };
    private readonly Option<string> expansions = new("--ef") { Description = "Search beam widths to sweep", DefaultValueFactory = _ => string.Join(',', RetrievalBenchmarkOptions.DefaultExpansions) };
    private readonly Option<string> strategies = new("--strategies") { Description = "HNSW inner-product strategies: angular, raw, reduction", DefaultValueFactory = _ => "angular,raw,reduction" };
    private readonly Option<string> precisions = new("--precisions") { Description = "HNSW vector precisions: f32, f16, i8", DefaultValueFactory = _ => "f32" };
    private readonly Option<string?> peer = new("--peer") { Description = "Path of ../shared/peers/ann_bench.py: sweep hnswlib on the same files (needs Debian's python3-hnswlib)" };
    private readonly Option<string?> plot = new("--plot") { Description = "Write the recall–queries/s plot to this PNG" };
    private readonly Option<string?> model = new("--model") { Description = "Instead of a generated set: export this model's video vectors and test users' vectors (tag model_) and measure on them" };
    private readonly Option<string?> modelData = new("--data") { Description = "The dataset the --model was trained on" };
    private readonly Option<bool> json = CommonOptions.Json();

    /// <summary>What the benchmark was asked; <see cref="Model"/> and <see cref="ModelData"/> replace the generated set.</summary>
    internal sealed record Arguments(RetrievalBenchmarkOptions Benchmark, string? Model, string? ModelData, string? Plot, bool Json);

    protected override string Name => "retrieval";

    protected override string Description => "Exact and HNSW search: build time, memory, recall@100 against exact, queries/s";

    protected override IEnumerable<Option> Options => [data, count, dimensions, tag, expansions, strategies, precisions, peer, plot, model, modelData, json];

    /// <summary>Only exporting a model's vectors runs the network; the indexes themselves need no libtorch.</summary>
    protected override bool UsesTorch(Arguments arguments) => arguments.Model is not null;

    protected override Arguments Bind(ParseResult parse)
    {
        var model = parse.GetValue(this.model);
        if (model is not null && parse.GetValue(modelData) is null)
        {
            throw new ArgumentException("--model needs --data, the dataset it was trained on");
        }
        var benchmark = new RetrievalBenchmarkOptions(
            parse.GetRequiredValue(data),
            parse.GetRequiredValue(tag),
            parse.GetValue(count),
            parse.GetValue(dimensions),
            OptionParsing.IntList("--ef", parse.GetRequiredValue(expansions)),
            OptionParsing.Names(parse.GetRequiredValue(strategies)),
            parse.GetValue(peer),
            OptionParsing.Names(parse.GetRequiredValue(precisions)));
        return new Arguments(benchmark, model, parse.GetValue(modelData), parse.GetValue(plot), parse.GetValue(json));
    }

    protected override async Task<int> RunAsync(Arguments arguments, CancellationToken cancellation)
    {
        var benchmark = arguments.Benchmark;
        if (arguments is { Model: { } model, ModelData: { } dataset })
        {
            const string ModelTag = "model_";
            var (setCount, setDimensions) = await ModelVectorSet.ExportAsync(dataset, model, benchmark.DataFolder, ModelTag, cancellation);
            ProgressLog.Line($"bench retrieval: exported {setCount:N0} video vectors of {setDimensions} dimensions and 1,000 test users from {model}");
            benchmark = benchmark with { Tag = ModelTag, Count = setCount, Dimensions = setDimensions };
        }
        var rows = RetrievalBenchmark.Run(benchmark, ProgressLog.Line);
        if (arguments.Plot is { } path)
        {
            RetrievalPlot.Save(path, rows);
        }
        return BenchOutput.Print(
            rows,
            arguments.Json,
            new Column<RetrievalBenchmarkRow>("index", r => r.Index, Numeric: false),
            new Column<RetrievalBenchmarkRow>("n", r => r.N, Format: "N0"),
            new Column<RetrievalBenchmarkRow>("param", r => r.Param, Numeric: false),
            new Column<RetrievalBenchmarkRow>("recall@100", r => r.Recall, Format: "F3"),
            new Column<RetrievalBenchmarkRow>("queries/s", r => r.Qps, Format: "N0"),
            new Column<RetrievalBenchmarkRow>("threads", r => r.Threads),
            new Column<RetrievalBenchmarkRow>("build s", r => r.BuildS, Format: "F1"),
            new Column<RetrievalBenchmarkRow>("memory MB", r => r.MemoryMb, Format: "N0"));
    }
}
