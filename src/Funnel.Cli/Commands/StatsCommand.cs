using System.CommandLine;
using Funnel.Cli.Hosting;
using Funnel.Data.Examples;
using Funnel.Data.Statistics;

namespace Funnel.Cli.Commands;

/// <summary>funnel stats: counts, time range, per-table rows, and the examples a split makes.</summary>
internal static class StatsCommand
{
    public static Command Create()
    {
        var data = CommonOptions.RequiredPath("--data", "Dataset folder");
        var split = SplitOption();
        var seed = CommonOptions.Seed();
        var json = CommonOptions.Json();
        var command = new Command("stats", "Describe a dataset and the training examples it yields") { data, split, seed, json };
        command.SetAction((parse, cancellation) => CommandRunner.RunAsync(async () =>
        {
            var report = await DatasetReport.BuildAsync(parse.GetValue(data)!, new SplitOptions(SplitOptions.ParseKind(parse.GetValue(split)!)), new ExampleOptions(Seed: parse.GetValue(seed)), cancellation);
            if (parse.GetValue(json))
            {
                JsonOutput.Write(new { dataset = report.Data.Dataset, seed = parse.GetValue(seed), data = report.Data, examples = report.Examples });
            }
            else
            {
                Console.Write(report.ToMarkdown());
            }
            return ExitCodes.Success;
        }));
        return command;
    }

    public static Option<string> SplitOption() => new("--split")
    {
        Description = "How to split: temporal or leave-last-out",
        DefaultValueFactory = _ => SplitOptions.Name(SplitKind.Temporal),
    };
}
