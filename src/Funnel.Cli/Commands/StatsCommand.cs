using System.CommandLine;
using Funnel.Cli.Hosting;
using Funnel.Data.Examples;
using Funnel.Data.Statistics;

namespace Funnel.Cli.Commands;

/// <summary>funnel stats: counts, time range, per-table rows, and the examples each split makes.</summary>
internal sealed class StatsCommand : TypedCommand<StatsCommand.Arguments>
{
    private readonly Option<string> data = CommonOptions.RequiredPath("--data", "Dataset folder");
    private readonly Option<string?> split = new("--split") { Description = "Only this split: temporal, leave-last-out or last-interaction (default: all three, one row each; train candidates' default is temporal)" };
    private readonly Option<float> completed = CommonOptions.Completed();
    private readonly Option<int> seed = CommonOptions.Seed();
    private readonly Option<bool> json = CommonOptions.Json();

    /// <summary>What the command was asked.</summary>
    internal sealed record Arguments(string Data, IReadOnlyList<SplitOptions> Splits, ExampleOptions Examples, bool Json);

    protected override string Name => "stats";

    protected override string Description => "Describe a dataset and the training examples it yields";

    protected override IEnumerable<Option> Options => [data, split, completed, seed, json];

    protected override bool UsesTorch(Arguments arguments) => false;

    protected override Arguments Bind(ParseResult parse) => new(
        parse.GetRequiredValue(data),
        parse.GetValue(split) is { } one ? [new SplitOptions(SplitOptions.ParseKind(one))] : [.. Enum.GetValues<SplitKind>().Select(kind => new SplitOptions(kind))],
        new ExampleOptions(Seed: parse.GetValue(seed), CompletionThreshold: parse.GetValue(completed)).Validate(),
        parse.GetValue(json));

    protected override async Task<int> RunAsync(Arguments arguments, CancellationToken cancellation)
    {
        var report = await DatasetReport.BuildAsync(arguments.Data, arguments.Splits, arguments.Examples, cancellation);
        if (arguments.Json)
        {
            JsonOutput.Write(new { dataset = report.Data.Dataset, seed = arguments.Examples.Seed, data = report.Data, examples = report.Examples, splits = report.Splits });
        }
        else
        {
            Console.Write(report.ToMarkdown());
        }
        return ExitCodes.Success;
    }
}
