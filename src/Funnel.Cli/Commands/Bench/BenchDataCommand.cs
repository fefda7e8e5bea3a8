using System.CommandLine;
using Funnel.Benchmarks.Data;
using Funnel.Cli.Hosting;
using Funnel.Data.Synthetic;

namespace Funnel.Cli.Commands.Bench;

/// <summary>funnel bench data: synthesis, CSV import and example making, events/s and peak memory.</summary>
internal sealed class BenchDataCommand : TypedCommand<BenchDataCommand.Arguments>
{
    private static readonly WorldOptions World = DataBenchmarkOptions.TenMillionWatches;

    private readonly Option<int> users = new("--users") { Description = "Users of the benchmark world (the default gives about 10M watches)", DefaultValueFactory = _ => World.Users };
    private readonly Option<int> videos = new("--videos") { Description = "Videos of the benchmark world", DefaultValueFactory = _ => World.Videos };
    private readonly Option<int> days = new("--days") { Description = "Days of the benchmark world", DefaultValueFactory = _ => World.Days };
    private readonly Option<string> work = new("--work") { Description = "Scratch folder (deleted afterwards)", DefaultValueFactory = _ => Path.Combine(Path.GetTempPath(), "funnel-bench-data") };
    private readonly Option<int> seed = CommonOptions.Seed();
    private readonly Option<bool> json = CommonOptions.Json();

    /// <summary>What the benchmark was asked.</summary>
    internal sealed record Arguments(DataBenchmarkOptions Benchmark, bool Json);

    protected override string Name => "data";

    protected override string Description => "Synthesise, import from CSV and make training examples: events/s and peak memory per phase";

    protected override IEnumerable<Option> Options => [users, videos, days, work, seed, json];

    protected override bool UsesTorch(Arguments arguments) => false;

    protected override Arguments Bind(ParseResult parse) => new(
        new DataBenchmarkOptions(new WorldOptions(parse.GetValue(users), parse.GetValue(videos), parse.GetValue(days), parse.GetValue(seed)).Validate(), parse.GetRequiredValue(work)),
        parse.GetValue(json));

    protected override async Task<int> RunAsync(Arguments arguments, CancellationToken cancellation) => BenchOutput.Print(
        await DataBenchmark.RunAsync(arguments.Benchmark, ProgressLog.Line, cancellation),
        arguments.Json,
        new Column<DataBenchmarkRow>("phase", r => r.Phase, Numeric: false),
        new Column<DataBenchmarkRow>("events", r => r.Events, Format: "N0"),
        new Column<DataBenchmarkRow>("seconds", r => r.Seconds, Format: "F1"),
        new Column<DataBenchmarkRow>("events/s", r => r.EventsPerS, Format: "N0"),
        new Column<DataBenchmarkRow>("peak MB", r => r.PeakMb, Format: "N0"));
}
