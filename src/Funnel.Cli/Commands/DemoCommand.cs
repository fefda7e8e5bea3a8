using System.CommandLine;
using Funnel.Cli.Hosting;
using Funnel.Runs.Demo;

namespace Funnel.Cli.Commands;

/// <summary>funnel demo: the whole pipeline on the embedded defaults (<see cref="DemoRun"/>), report printed and written.</summary>
internal sealed class DemoCommand : TypedCommand<DemoCommand.Arguments>
{
    private readonly Option<string> output = new("--out") { Description = "Folder for the demo's datasets and report", DefaultValueFactory = _ => "funnel-demo" };
    private readonly Option<string?> datasets = new("--datasets") { Description = $"Folder holding ml-100k/ (default: {SharedDatasets.Variable}, else ../shared/datasets found above the current folder)" };
    private readonly Option<int> seed = CommonOptions.Seed();

    /// <summary>What the command was asked; <see cref="MovieLens"/> is null when ml-100k was not found.</summary>
    internal sealed record Arguments(string Output, string? MovieLens, int Seed);

    protected override string Name => "demo";

    protected override string Description => "Run the pipeline on the embedded defaults and write a report";

    protected override IEnumerable<Option> Options => [output, datasets, seed];

    protected override Arguments Bind(ParseResult parse) =>
        new(parse.GetRequiredValue(output), SharedDatasets.Find(parse.GetValue(datasets), "ml-100k"), parse.GetValue(seed));

    protected override async Task<int> RunAsync(Arguments arguments, CancellationToken cancellation)
    {
        Console.Write(await DemoRun.RunAsync(arguments.Output, arguments.MovieLens, arguments.Seed, p => TrainCandidatesCommand.Report(p), ProgressLog.Line, cancellation));
        return ExitCodes.Success;
    }
}
