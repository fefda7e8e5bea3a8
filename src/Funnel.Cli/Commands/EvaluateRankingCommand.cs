using System.CommandLine;
using Funnel.Cli.Hosting;
using Funnel.Data.Storage;
using Funnel.Ranking.Training;
using Funnel.Runs.Ranking;

namespace Funnel.Cli.Commands;

/// <summary>funnel evaluate ranking: the ranker's held-out figures, or the paper's Table 1.</summary>
internal sealed class EvaluateRankingCommand : TypedCommand<EvaluateRankingCommand.Arguments>
{
    private static readonly RankingRunOptions Defaults = new(new RankingTrainingOptions());

    private readonly Option<string> data = CommonOptions.RequiredPath("--data", "Dataset folder with impressions (the one the ranker was trained on)");
    private readonly Option<string> model = CommonOptions.RequiredPath("--model", "Model folder");
    private readonly Option<bool> table1 = new("--table1") { Description = "Instead: train and score the paper's Table 1 configurations; report in MODEL/table1/" };
    private readonly Option<string?> configs = new("--configs") { Description = "With --table1: only these rows (comma-separated names, e.g. none,1024-512-256)" };
    private readonly Option<int> epochs = new("--epochs") { Description = "With --table1: passes over the training impressions per row", DefaultValueFactory = _ => Defaults.Training.Epochs };
    private readonly Option<int> batch = new("--batch") { Description = "With --table1: impressions per step", DefaultValueFactory = _ => Defaults.Training.BatchSize };
    private readonly Option<double> learningRate = new("--lr") { Description = "With --table1: Adam step size", DefaultValueFactory = _ => Defaults.Training.LearningRate };
    private readonly Option<double> holdout = new("--holdout") { Description = "With --table1: share of the log's time span held out", DefaultValueFactory = _ => Defaults.HoldoutFraction };
    private readonly Option<bool> noCandidates = new("--no-candidate-features") { Description = "With --table1: do not use the candidate model's score and rank" };
    private readonly Option<int> seed = CommonOptions.Seed();
    private readonly Option<bool> json = CommonOptions.Json();

    /// <summary>What the command was asked; <see cref="Table1"/> null evaluates the saved ranker.</summary>
    internal sealed record Arguments(string Data, string Model, Table1Request? Table1, bool Json);

    /// <summary>The Table 1 rows to train and how.</summary>
    internal sealed record Table1Request(IReadOnlyList<Table1Config> Configs, RankingRunOptions Run);

    protected override string Name => "ranking";

    protected override string Description => "Ranking metrics on the later-time holdout: weighted per-user loss, click AUC, watch time of the top 1 and 3";

    protected override IEnumerable<Option> Options => [data, model, table1, configs, epochs, batch, learningRate, holdout, noCandidates, seed, json];

    protected override Arguments Bind(ParseResult parse)
    {
        Table1Request? request = null;
        if (parse.GetValue(table1))
        {
            var selected = Table1Run.Configs;
            if (parse.GetValue(configs) is { } names)
            {
                var byName = Table1Run.Configs.ToDictionary(c => c.Config);
                selected = [.. OptionParsing.Names(names).Select(name => OptionParsing.Choice("--configs", name, byName))];
            }
            var run = new RankingRunOptions(
                new RankingTrainingOptions(parse.GetValue(epochs), parse.GetValue(batch), parse.GetValue(learningRate), Seed: parse.GetValue(seed)).Validate(),
                HoldoutFraction: parse.GetValue(holdout),
                CandidateFeatures: !parse.GetValue(noCandidates));
            request = new Table1Request(selected, run);
        }
        return new Arguments(parse.GetRequiredValue(data), parse.GetRequiredValue(model), request, parse.GetValue(json));
    }

    protected override async Task<int> RunAsync(Arguments arguments, CancellationToken cancellation)
    {
        if (arguments.Table1 is not { } table1)
        {
            var evaluation = await RankingEvaluationRun.RunAsync(arguments.Data, arguments.Model, ProgressLog.Line, cancellation);
            if (arguments.Json)
            {
                JsonOutput.Write(new { dataset = evaluation.Dataset, holdout_start = evaluation.HoldoutStartUtc, impressions = evaluation.Impressions, results = evaluation.Results });
            }
            else
            {
                Console.Write(RankingTable.Markdown(evaluation.Results));
            }
            return ExitCodes.Success;
        }
        var rows = await Table1Run.RunAsync(arguments.Data, arguments.Model, table1.Run, table1.Configs, ProgressLog.Line, cancellation);
        if (arguments.Json)
        {
            var dataset = (await Dataset.OpenAsync(arguments.Data, cancellation)).Manifest.Name;
            JsonOutput.Write(new { dataset, results = rows.SelectMany(r => r.Metrics) });
        }
        else
        {
            Console.Write(await File.ReadAllTextAsync(Path.Combine(arguments.Model, Table1Run.Folder, "table1.md"), cancellation));
        }
        return ExitCodes.Success;
    }
}
