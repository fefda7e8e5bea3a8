using System.CommandLine;
using System.Globalization;
using Funnel.Cli.Hosting;
using Funnel.Data.Storage;
using Funnel.Ranking.Features;
using Funnel.Ranking.Training;
using Funnel.Runs.Ranking;

namespace Funnel.Cli.Commands;

/// <summary>funnel train ranking and funnel evaluate ranking: the ranking stage of a model folder.</summary>
internal static class RankingCommands
{
    private static readonly Dictionary<string, ImpressionWeighting> Weightings = new()
    {
        ["watch-time"] = ImpressionWeighting.WatchTime,
        ["unweighted"] = ImpressionWeighting.Unweighted,
    };

    /// <summary>funnel train ranking.</summary>
    public static Command Train()
    {
        var defaults = new RankingTrainingOptions();
        var data = CommonOptions.RequiredPath("--data", "Dataset folder with impressions");
        var output = CommonOptions.RequiredPath("--out", "Model folder: the ranker goes to MODEL/ranking; a candidate model there lends its scores and ranks as features");
        var epochs = new Option<int>("--epochs") { Description = "Passes over the training impressions", DefaultValueFactory = _ => defaults.Epochs };
        var batch = new Option<int>("--batch") { Description = "Impressions per step", DefaultValueFactory = _ => defaults.BatchSize };
        var learningRate = new Option<double>("--lr") { Description = "Adam step size", DefaultValueFactory = _ => defaults.LearningRate };
        var tower = new Option<string>("--tower") { Description = "ReLU layers before the logit ('none': logistic regression on the inputs)", DefaultValueFactory = _ => "1024,512,256" };
        var noPowers = new Option<bool>("--no-powers") { Description = "Feed x̃ only, without x̃² and √x̃" };
        var weighting = new Option<string>("--weighting") { Description = "watch-time (clicked impressions weigh their watch seconds) or unweighted (click probability)", DefaultValueFactory = _ => "watch-time" };
        var holdout = new Option<double>("--holdout") { Description = "Share of the log's time span held out (the latest impressions)", DefaultValueFactory = _ => 0.1 };
        var maxVideos = new Option<int>("--max-videos") { Description = "Video IDs kept (by clicked impressions; the rest share the zero embedding)", DefaultValueFactory = _ => new VocabularyLimits().Videos };
        var noCandidates = new Option<bool>("--no-candidate-features") { Description = "Do not use the candidate model's score and rank as features" };
        var seed = CommonOptions.Seed();
        var json = CommonOptions.Json();
        var command = new Command("ranking", "Train the ranking network by weighted logistic regression on the dataset's impressions")
        {
            data, output, epochs, batch, learningRate, tower, noPowers, weighting, holdout, maxVideos, noCandidates, seed, json,
        };
        command.SetAction((parse, cancellation) => CommandRunner.RunAsync(async () =>
        {
            var options = new RankingRunOptions(
                new RankingTrainingOptions(
                    parse.GetValue(epochs),
                    parse.GetValue(batch),
                    parse.GetValue(learningRate),
                    OptionParsing.Choice("--weighting", parse.GetValue(weighting)!, Weightings),
                    parse.GetValue(seed)).Validate(),
                OptionParsing.IntList("--tower", parse.GetValue(tower)!),
                !parse.GetValue(noPowers),
                parse.GetValue(holdout),
                new VocabularyLimits(Videos: parse.GetValue(maxVideos)),
                CandidateFeatures: !parse.GetValue(noCandidates));
            var manifest = await RankingTrainingRun.RunAsync(parse.GetValue(data)!, parse.GetValue(output)!, options, ProgressLog.Line, cancellation);
            if (parse.GetValue(json))
            {
                JsonOutput.Write(new { dataset = manifest.Dataset, model = parse.GetValue(output), seed = manifest.Training.Seed, history = manifest.History, results = manifest.TestMetrics });
            }
            else
            {
                Console.WriteLine($"{parse.GetValue(output)}: ranker {manifest.Network.TowerName}; held out: " + string.Join(", ", manifest.TestMetrics.Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.Metric} {m.Value:0.####}"))));
            }
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>funnel evaluate ranking.</summary>
    public static Command Evaluate()
    {
        var defaults = new RankingTrainingOptions();
        var data = CommonOptions.RequiredPath("--data", "Dataset folder with impressions (the one the ranker was trained on)");
        var model = CommonOptions.RequiredPath("--model", "Model folder");
        var table1 = new Option<bool>("--table1") { Description = "Instead: train and score the paper's Table 1 configurations; report in MODEL/table1/" };
        var configs = new Option<string?>("--configs") { Description = "With --table1: only these rows (comma-separated names, e.g. none,1024-512-256)" };
        var epochs = new Option<int>("--epochs") { Description = "With --table1: passes over the training impressions per row", DefaultValueFactory = _ => defaults.Epochs };
        var batch = new Option<int>("--batch") { Description = "With --table1: impressions per step", DefaultValueFactory = _ => defaults.BatchSize };
        var learningRate = new Option<double>("--lr") { Description = "With --table1: Adam step size", DefaultValueFactory = _ => defaults.LearningRate };
        var holdout = new Option<double>("--holdout") { Description = "With --table1: share of the log's time span held out", DefaultValueFactory = _ => 0.1 };
        var noCandidates = new Option<bool>("--no-candidate-features") { Description = "With --table1: do not use the candidate model's score and rank" };
        var seed = CommonOptions.Seed();
        var json = CommonOptions.Json();
        var command = new Command("ranking", "Ranking metrics on the later-time holdout: weighted per-user loss, click AUC, watch time of the top 1 and 3")
        {
            data, model, table1, configs, epochs, batch, learningRate, holdout, noCandidates, seed, json,
        };
        command.SetAction((parse, cancellation) => CommandRunner.RunAsync(async () =>
        {
            var dataPath = parse.GetValue(data)!;
            var modelPath = parse.GetValue(model)!;
            if (!parse.GetValue(table1))
            {
                var evaluation = await RankingEvaluationRun.RunAsync(dataPath, modelPath, ProgressLog.Line, cancellation);
                if (parse.GetValue(json))
                {
                    JsonOutput.Write(new { dataset = evaluation.Dataset, holdout_start = evaluation.HoldoutStartUtc, impressions = evaluation.Impressions, results = evaluation.Results });
                }
                else
                {
                    Console.Write(RankingTable.Markdown(evaluation.Results));
                }
                return ExitCodes.Success;
            }
            var selected = Table1Run.Configs;
            if (parse.GetValue(configs) is { } names)
            {
                var byName = Table1Run.Configs.ToDictionary(c => c.Config);
                selected = [.. names.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(name => OptionParsing.Choice("--configs", name, byName))];
            }
            var options = new RankingRunOptions(
                new RankingTrainingOptions(parse.GetValue(epochs), parse.GetValue(batch), parse.GetValue(learningRate), Seed: parse.GetValue(seed)).Validate(),
                HoldoutFraction: parse.GetValue(holdout),
                CandidateFeatures: !parse.GetValue(noCandidates));
            var rows = await Table1Run.RunAsync(dataPath, modelPath, options, selected, ProgressLog.Line, cancellation);
            if (parse.GetValue(json))
            {
                var dataset = (await Dataset.OpenAsync(dataPath, cancellation)).Manifest.Name;
                JsonOutput.Write(new { dataset, results = rows.SelectMany(r => r.Metrics) });
            }
            else
            {
                Console.Write(await File.ReadAllTextAsync(Path.Combine(modelPath, Table1Run.Folder, "table1.md"), cancellation));
            }
            return ExitCodes.Success;
        }));
        return command;
    }
}
