using System.CommandLine;
using System.Globalization;
using Funnel.Cli.Hosting;
using Funnel.Ranking.Features;
using Funnel.Ranking.Model;
using Funnel.Ranking.Training;
using Funnel.Runs.Ranking;

namespace Funnel.Cli.Commands;

/// <summary>funnel train ranking: the ranking stage of a model folder.</summary>
internal sealed class TrainRankingCommand : TypedCommand<TrainRankingCommand.Arguments>
{
    /// <summary>The --weighting values.</summary>
    public static readonly Dictionary<string, ImpressionWeighting> Weightings = new()
    {
        ["watch-time"] = ImpressionWeighting.WatchTime,
        ["unweighted"] = ImpressionWeighting.Unweighted,
        ["continuation"] = ImpressionWeighting.WatchTimeAndContinuation,
    };

    private static readonly Dictionary<string, bool?> SourceFeatureChoices = new() { ["auto"] = null, ["on"] = true, ["off"] = false };

    private static readonly RankingRunOptions Defaults = new(new RankingTrainingOptions());

    private readonly Option<string> data = CommonOptions.RequiredPath("--data", "Dataset folder: its impressions, or, for a log without any, the candidate model's lists at its completed watches");
    private readonly Option<string> output = CommonOptions.RequiredPath("--out", "Model folder: the ranker goes to MODEL/ranking; a candidate model there lends its scores and ranks as features");
    private readonly Option<int> epochs = new("--epochs") { Description = "Passes over the training impressions", DefaultValueFactory = _ => Defaults.Training.Epochs };
    private readonly Option<int> batch = new("--batch") { Description = "Impressions per step", DefaultValueFactory = _ => Defaults.Training.BatchSize };
    private readonly Option<double> learningRate = new("--lr") { Description = "Adam step size", DefaultValueFactory = _ => Defaults.Training.LearningRate };
    private readonly Option<string> tower = new("--tower") { Description = "ReLU layers before the logit ('none': logistic regression on the inputs)", DefaultValueFactory = _ => string.Join(',', RankingNetworkOptions.PaperTower) };
    private readonly Option<bool> noPowers = new("--no-powers") { Description = "Feed x̃ only, without x̃² and √x̃" };
    private readonly Option<string> weighting = new("--weighting") { Description = "watch-time (clicked impressions weigh their watch seconds), unweighted (click probability) or continuation (watch seconds plus the clicks' mean watch: the next slate a click earns)", DefaultValueFactory = _ => "watch-time" };
    private readonly Option<double> holdout = new("--holdout") { Description = "Share of the log's time span held out (the latest impressions)", DefaultValueFactory = _ => Defaults.HoldoutFraction };
    private readonly Option<int> maxVideos = new("--max-videos") { Description = "Video IDs kept (by clicked impressions; the rest share the zero embedding)", DefaultValueFactory = _ => new VocabularyLimits().Videos };
    private readonly Option<bool> noCandidates = new("--no-candidate-features") { Description = "Do not use the candidate model's score and rank as features" };
    private readonly Option<bool> candidateLists = new("--candidate-lists") { Description = "Train on the candidate model's lists (a completed watch and videos the model nominated beside it) even when the log has impressions" };
    private readonly Option<string> sourceFeatures = new("--source-features") { Description = "Give the ranker the co-visits and regional sources' scores of each impression, as of its time, to blend those sources: on, off, or auto (on for candidate lists, off for logged impressions)", DefaultValueFactory = _ => "auto" };
    private readonly Option<int> seed = CommonOptions.Seed();
    private readonly Option<bool> json = CommonOptions.Json();

    /// <summary>What the command was asked.</summary>
    internal sealed record Arguments(string Data, string Model, RankingRunOptions Run, bool Json);

    protected override string Name => "ranking";

    protected override string Description => "Train the ranking network by weighted logistic regression on the dataset's impressions";

    protected override IEnumerable<Option> Options => [data, output, epochs, batch, learningRate, tower, noPowers, weighting, holdout, maxVideos, noCandidates, candidateLists, sourceFeatures, seed, json];

    protected override Arguments Bind(ParseResult parse) => new(
        parse.GetRequiredValue(data),
        parse.GetRequiredValue(output),
        new RankingRunOptions(
            new RankingTrainingOptions(
                parse.GetValue(epochs),
                parse.GetValue(batch),
                parse.GetValue(learningRate),
                OptionParsing.Choice("--weighting", parse.GetRequiredValue(weighting), Weightings),
                parse.GetValue(seed),
                parse.GetValue(candidateLists)).Validate(),
            OptionParsing.IntList("--tower", parse.GetRequiredValue(tower)),
            !parse.GetValue(noPowers),
            parse.GetValue(holdout),
            new VocabularyLimits(Videos: parse.GetValue(maxVideos)),
            CandidateFeatures: !parse.GetValue(noCandidates),
            SourceFeatures: OptionParsing.Choice("--source-features", parse.GetRequiredValue(sourceFeatures), SourceFeatureChoices)),
        parse.GetValue(json));

    protected override async Task<int> RunAsync(Arguments arguments, CancellationToken cancellation)
    {
        var manifest = await RankingTrainingRun.RunAsync(arguments.Data, arguments.Model, arguments.Run, ProgressLog.Line, cancellation);
        if (arguments.Json)
        {
            JsonOutput.Write(new { dataset = manifest.Dataset, model = arguments.Model, seed = manifest.Training.Seed, history = manifest.History, results = manifest.TestMetrics });
            return ExitCodes.Success;
        }
        Console.WriteLine($"{arguments.Model}: ranker {manifest.Network.TowerName}; held out: " + string.Join(", ", manifest.TestMetrics.Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.Metric} {m.Value:0.####}"))));
        return ExitCodes.Success;
    }
}
