using System.CommandLine;
using Funnel.Benchmarks.Serving;
using Funnel.Cli.Hosting;
using Funnel.Serving.Recommendations;

namespace Funnel.Cli.Commands.Bench;

/// <summary>funnel bench serving: the service under load over loopback.</summary>
internal sealed class BenchServingCommand : TypedCommand<BenchServingCommand.Arguments>
{
    private static readonly ServingBenchmarkOptions Defaults = new("", [], 0, 0, 0, 0, "", null);

    private readonly Option<string> model = CommonOptions.RequiredPath("--model", "Model folder to serve (candidates, index, ranker)");
    private readonly Option<string> connections = new("--connections") { Description = "Concurrency levels", DefaultValueFactory = _ => "1,8,64" };
    private readonly Option<double> seconds = new("--seconds") { Description = "Timed seconds per level", DefaultValueFactory = _ => 20.0 };
    private readonly Option<int> users = new("--users") { Description = "Users with a history", DefaultValueFactory = _ => 1_000 };
    private readonly Option<int> candidates = new("--candidates") { Description = "Candidates ranked per request", DefaultValueFactory = _ => new CandidateSources().Network };
    private readonly Option<int> reloads = new("--reloads") { Description = "Model reloads during the hot-swap phase (0 skips it)", DefaultValueFactory = _ => 10 };
    private readonly Option<bool> noKill = new("--no-kill9") { Description = "Skip the kill -9 phase (a separate service process killed during event ingestion)" };
    private readonly Option<int> killRounds = new("--kill-rounds") { Description = "Ingest-and-kill -9 rounds on one store folder; acknowledged events are counted after every restart and after a final clean one", DefaultValueFactory = _ => Defaults.KillRounds };
    private readonly Option<double> killSeconds = new("--kill-seconds") { Description = "Seconds of ingestion before each kill -9", DefaultValueFactory = _ => Defaults.KillSeconds };
    private readonly Option<double> floodSeconds = new("--flood-seconds") { Description = "Seconds of new users posting 1,000-event batches into a separate service process, sampling its RSS and store size, then a kill -9 and a timed restart (0 skips it)", DefaultValueFactory = _ => Defaults.FloodSeconds };
    private readonly Option<int> floodMaxUsers = new("--flood-max-users") { Description = "The --max-users the flooded service runs with", DefaultValueFactory = _ => Defaults.FloodMaxUsers };
    private readonly Option<bool> separate = new("--separate-process") { Description = "Also measure the load levels against funnel serve in a process of its own (the generator's allocations and pauses stay out of the server)" };
    private readonly Option<string?> serverCpus = new("--server-cpus") { Description = "With --separate-process: pin the server to these CPUs (taskset list, e.g. 1), so its CPU per slate is its own" };
    private readonly Option<string?> generatorCpus = new("--generator-cpus") { Description = "With --separate-process: pin the load generator to these CPUs (taskset list, e.g. 0) while it loads the separate server" };
    private readonly Option<string> work = new("--work") { Description = "Scratch folder (deleted afterwards)", DefaultValueFactory = _ => Path.Combine(Path.GetTempPath(), "funnel-bench-serving") };
    private readonly SyntheticModelOption synthetic = new();
    private readonly Option<bool> json = CommonOptions.Json();

    /// <summary>What the benchmark was asked.</summary>
    internal sealed record Arguments(ServingBenchmarkOptions Benchmark, SyntheticModelRequest? Synthetic, bool Json);

    protected override string Name => "serving";

    protected override string Description => "The service under load over loopback: requests/s, p50/p99 at each concurrency, during hot swaps, acknowledged events after kill -9, and memory and disk under a flood of new users";

    protected override IEnumerable<Option> Options => [model, connections, seconds, users, candidates, reloads, noKill, killRounds, killSeconds, floodSeconds, floodMaxUsers, separate, serverCpus, generatorCpus, work, .. synthetic.Options, json];

    /// <summary>A CPU list for taskset, only with --separate-process (in one process there is nothing to pin apart).</summary>
    private string? Pinning(ParseResult parse, Option<string?> option) => parse.GetValue(option) is not { } cpus ? null
        : !parse.GetValue(separate) ? throw new ArgumentException($"{option.Name} pins the separate server's measurement: add --separate-process")
        : cpus.All(c => char.IsAsciiDigit(c) || c is ',' or '-') && cpus.Length > 0 ? cpus
        : throw new ArgumentException($"{option.Name}: expected a CPU list such as 0 or 0-1 or 0,2, got '{cpus}'");

    protected override Arguments Bind(ParseResult parse) => new(
        new ServingBenchmarkOptions(
            parse.GetRequiredValue(model),
            OptionParsing.IntList("--connections", parse.GetRequiredValue(connections)),
            parse.GetValue(seconds),
            parse.GetValue(users),
            parse.GetValue(candidates),
            parse.GetValue(reloads),
            parse.GetRequiredValue(work),
            ServerCommand(),
            KillNine: !parse.GetValue(noKill),
            SeparateProcess: parse.GetValue(separate),
            ServerCpus: Pinning(parse, serverCpus),
            GeneratorCpus: Pinning(parse, generatorCpus),
            KillRounds: parse.GetValue(killRounds),
            KillSeconds: parse.GetValue(killSeconds),
            FloodSeconds: parse.GetValue(floodSeconds),
            FloodMaxUsers: parse.GetValue(floodMaxUsers)),
        synthetic.Bind(parse),
        parse.GetValue(json));

    protected override async Task<int> RunAsync(Arguments arguments, CancellationToken cancellation)
    {
        SyntheticModelOption.WriteIfMissing(arguments.Benchmark.ModelFolder, arguments.Synthetic);
        var result = await ServingBenchmark.RunAsync(arguments.Benchmark, ProgressLog.Line, cancellation);
        if (arguments.Json)
        {
            JsonOutput.Write(new { rows = result.Rows, flood = result.Flood, machine = MachineDescription.Current() });
            return ExitCodes.Success;
        }
        if (result.Flood.Count > 0)
        {
            MarkdownTable.Print(
                result.Flood,
                new Column<FloodSample>("phase", r => r.Phase, Numeric: false),
                new Column<FloodSample>("seconds", r => r.Seconds),
                new Column<FloodSample>("events acknowledged", r => r.Events, Format: "N0"),
                new Column<FloodSample>("failed batches", r => r.Errors),
                new Column<FloodSample>("users stored", r => r.Users, Format: "N0"),
                new Column<FloodSample>("RSS MB", r => r.RssMb, Format: "N0"),
                new Column<FloodSample>("managed heap MB", r => r.HeapMb, Format: "N0"),
                new Column<FloodSample>("store MB", r => r.StoreMb, Format: "N0"));
            Console.WriteLine();
        }
        return BenchOutput.Print(
            result.Rows,
            false,
            new Column<ServingBenchmarkRow>("phase", r => r.Phase, Numeric: false),
            new Column<ServingBenchmarkRow>("connections", r => r.Connections),
            new Column<ServingBenchmarkRow>("requests/s", r => r.Rps, Format: "N0"),
            new Column<ServingBenchmarkRow>("p50 ms", r => r.P50Ms),
            new Column<ServingBenchmarkRow>("p99 ms", r => r.P99Ms),
            new Column<ServingBenchmarkRow>("errors", r => r.Errors),
            new Column<ServingBenchmarkRow>("requests", r => r.Requests, Format: "N0"),
            new Column<ServingBenchmarkRow>("reloads", r => r.Reloads));
    }

    /// <summary>How to start this funnel again as a separate process: the apphost, or dotnet with the dll.</summary>
    private static (string, string[]) ServerCommand()
    {
        var process = Environment.ProcessPath ?? throw new InvalidOperationException("the path of this process is unknown");
        return Path.GetFileNameWithoutExtension(process) == "dotnet"
            ? (process, [typeof(BenchServingCommand).Assembly.Location])
            : (process, []);
    }
}
