using System.CommandLine;
using Funnel.Benchmarks.Cluster;
using Funnel.Cli.Hosting;

namespace Funnel.Cli.Commands.Bench;

/// <summary>funnel bench cluster: the chaos run's load and accounting (deploy/local-cluster.sh chaos makes the faults).</summary>
internal sealed class BenchClusterCommand : TypedCommand<BenchClusterCommand.Arguments>
{
    private readonly Option<string> balancer = new("--balancer") { Description = "The load balancer in front of the replicas", DefaultValueFactory = _ => "http://127.0.0.1:8100" };
    private readonly Option<string> store = new("--store") { Description = "The store cluster the replicas share (redis://HOST:PORT,...), read at the end for every acknowledged event", Required = true };
    private readonly Option<int> seconds = new("--seconds") { Description = "How long the load runs", DefaultValueFactory = _ => 90 };
    private readonly Option<string> faults = new("--faults") { Description = "File of \"UNIX-MILLISECONDS NAME\" lines the fault maker writes, read at the end", Required = true };
    private readonly Option<int> connections = new("--connections") { Description = "Concurrent clients", DefaultValueFactory = _ => 8 };
    private readonly Option<bool> json = CommonOptions.Json();

    /// <summary>What the benchmark was asked.</summary>
    internal sealed record Arguments(ChaosOptions Chaos, bool Json);

    protected override string Name => "cluster";

    protected override string Description => "Steady load through the load balancer while faults happen (deploy/local-cluster.sh chaos): per fault requests failed, latency before/during/after, recovery time; acknowledged events lost";

    protected override IEnumerable<Option> Options => [balancer, store, seconds, faults, connections, json];

    protected override bool UsesTorch(Arguments arguments) => false;

    protected override Arguments Bind(ParseResult parse)
    {
        if (parse.GetValue(seconds) < 1 || parse.GetValue(connections) < 1)
        {
            throw new ArgumentException("--seconds and --connections: expected 1 or more");
        }
        if (!Uri.TryCreate(parse.GetRequiredValue(balancer), UriKind.Absolute, out var address))
        {
            throw new ArgumentException($"--balancer: expected an absolute URL, got {parse.GetValue(balancer)}");
        }
        return new(new ChaosOptions(address, parse.GetRequiredValue(store), parse.GetValue(seconds), parse.GetRequiredValue(faults), parse.GetValue(connections)), parse.GetValue(json));
    }

    protected override async Task<int> RunAsync(Arguments arguments, CancellationToken cancellation) => BenchOutput.Print(
        await ChaosBenchmark.RunAsync(arguments.Chaos, ProgressLog.Line, cancellation),
        arguments.Json,
        new Column<ChaosRow>("phase", r => r.Phase, Numeric: false),
        new Column<ChaosRow>("requests", r => r.Requests, Format: "N0"),
        new Column<ChaosRow>("failed", r => r.Failed, Format: "N0"),
        new Column<ChaosRow>("p50/p99 before ms", r => $"{r.P50BeforeMs:F0} / {r.P99BeforeMs:F0}", Numeric: false),
        new Column<ChaosRow>("p50/p99/max during ms", r => $"{r.P50DuringMs:F0} / {r.P99DuringMs:F0} / {r.MaxDuringMs:F0}", Numeric: false),
        new Column<ChaosRow>("p50/p99 after ms", r => $"{r.P50AfterMs:F0} / {r.P99AfterMs:F0}", Numeric: false),
        new Column<ChaosRow>("recovery s", r => r.RecoverySeconds, Format: "F1"),
        new Column<ChaosRow>("events acknowledged", r => r.EventsAcknowledged, Format: "N0"),
        new Column<ChaosRow>("events lost", r => r.EventsLost, Format: "N0"));
}
