using System.CommandLine;
using Funnel.Cli.Hosting;
using Funnel.Runs.Demo;

namespace Funnel.Cli.Commands;

/// <summary>funnel demo: the whole pipeline on the embedded defaults (<see cref="DemoRun"/>), report printed and written.</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "Folder for the demo's datasets and report", DefaultValueFactory = _ => "funnel-demo" };
        var datasets = new Option<string?>("--datasets") { Description = "Folder holding ml-100k/ (default: FUNNEL_DATASETS, else ../shared/datasets found above the current folder)" };
        var seed = CommonOptions.Seed();
        var command = new Command("demo", "Run the pipeline on the embedded defaults and write a report") { output, datasets, seed };
        command.SetAction((parse, cancellation) => CommandRunner.RunAsync(async () =>
        {
            var report = await DemoRun.RunAsync(parse.GetValue(output)!, SharedDatasets.Find(parse.GetValue(datasets), "ml-100k"), parse.GetValue(seed), TrainCommand.Report, ProgressLog.Line, cancellation);
            Console.Write(report);
            return ExitCodes.Success;
        }));
        return command;
    }
}
