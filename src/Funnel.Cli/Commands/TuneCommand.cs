using System.CommandLine;
using System.Globalization;
using Funnel.Cli.Hosting;
using Funnel.Core;
using Funnel.Data.Examples;
using Funnel.Runs.Candidates;

namespace Funnel.Cli.Commands;

/// <summary>funnel tune: a seeded search of the candidate recipe on the validation split, the best one trained into a model folder.</summary>
internal sealed class TuneCommand : TypedCommand<TuneCommand.Arguments>
{
    private readonly Option<string> data = CommonOptions.RequiredPath("--data", "Dataset folder");
    private readonly Option<string> output = CommonOptions.RequiredPath("--out", "Model folder for the chosen recipe (the trials go to MODEL/tune)");
    private readonly Option<string> split = CommonOptions.Split();
    private readonly Option<int> trials = new("--trials") { Description = $"Recipes tried: the sequence recipe, the paper's network, then seeded draws from the declared space ({TuneSpace.Size:N0} recipes)", DefaultValueFactory = _ => 8 };
    private readonly Option<int> epochs = new("--epochs") { Description = "Most epochs per trial (early stopping on validation NDCG@10, patience 10)", DefaultValueFactory = _ => 60 };
    private readonly Option<int> seed = CommonOptions.Seed();
    private readonly Option<bool> json = CommonOptions.Json();

    /// <summary>What the command was asked.</summary>
    internal sealed record Arguments(string Data, string Model, SplitOptions Split, int Trials, int Epochs, int Seed, bool Json);

    protected override string Name => "tune";

    protected override string Description => "Search the candidate recipe on the validation split (never the test split) and train the best into a model folder";

    protected override IEnumerable<Option> Options => [data, output, split, trials, epochs, seed, json];

    protected override Arguments Bind(ParseResult parse)
    {
        var count = parse.GetValue(trials);
        var most = parse.GetValue(epochs);
        if (count < 1 || most < 1)
        {
            throw new ArgumentException($"--trials and --epochs must be ≥ 1; got {count} and {most}");
        }
        return new(parse.GetRequiredValue(data), parse.GetRequiredValue(output), new SplitOptions(SplitOptions.ParseKind(parse.GetRequiredValue(split))), count, most, parse.GetValue(seed), parse.GetValue(json));
    }

    protected override async Task<int> RunAsync(Arguments arguments, CancellationToken cancellation)
    {
        var (report, manifest) = await TuneRun.RunAsync(arguments.Data, arguments.Model, arguments.Split, arguments.Trials, arguments.Seed, arguments.Epochs, ProgressLog.Line, cancellation);
        if (arguments.Json)
        {
            JsonOutput.Write(new { dataset = report.Dataset, split = report.Split, seed = report.Seed, metric = report.Metric, k = report.K, trials = report.Trials, chosen = report.Chosen, model = arguments.Model, results = manifest.TestMetrics });
            return ExitCodes.Success;
        }
        Console.Write(report.ToMarkdown());
        var hr = manifest.TestMetrics.Where(m => m.Metric == MetricNames.HitRate);
        Console.WriteLine($"\n{arguments.Model}: trial {report.Chosen}'s recipe; test " + string.Join(", ", hr.Select(m => string.Create(CultureInfo.InvariantCulture, $"HR@{m.K} {m.Value:F3}"))));
        return ExitCodes.Success;
    }
}
