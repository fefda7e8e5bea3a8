using Funnel.Candidates.Model;
using Funnel.Candidates.Softmax;
using Funnel.Candidates.Training;
using Funnel.Ranking.Training;
using Funnel.Serving.Recommendations;

namespace Funnel.Experiments.Arms;

/// <summary>How the default arms are trained.</summary>
/// <param name="Network">The candidate network.</param>
/// <param name="Candidates">Its training.</param>
/// <param name="Ranking">The rankers (the click arm differs only in weighting).</param>
/// <param name="ExampleAgeArm">Also train a "no-example-age" arm: the candidate network without example age, with the watch-time ranker.</param>
/// <param name="FreshSourceArm">Also run a "fresh-source" arm: the control's models, with the world's uploads posted to its service so the fresh-uploads source nominates them.</param>
/// <param name="ContinuationArm">Also train a "continuation" arm: the control's candidate model, its ranker weighted by watch time plus a click's session-continuation value.</param>
/// <param name="ListsArm">Also train a "candidate-lists" arm: the control's candidate model, its watch-time ranker trained on the candidate model's lists instead of the logged impressions.</param>
/// <param name="SourcesArm">Also train a "sources" arm: the control's candidate model, its watch-time ranker with the co-visits and regional sources' scores, served with those sources on.</param>
/// <param name="SourceFeaturesArm">Also train a "source-features" arm: the control's candidate model, its watch-time ranker with the co-visits and regional sources' scores.</param>
public sealed record DefaultArmTraining(NetworkShape Network, CandidateTrainingOptions Candidates, RankingRunOptions Ranking, bool ExampleAgeArm = false, bool FreshSourceArm = false, bool ContinuationArm = false, bool ListsArm = false, bool SourcesArm = false, bool SourceFeaturesArm = false)
{
    /// <summary>The demo's sizes: a minute or two per arm on two cores for a world of a few thousand users.</summary>
    public static readonly DefaultArmTraining Small = new(
        new NetworkShape(64, [256, 128, 64]),
        new CandidateTrainingOptions(Epochs: 4, Softmax: new SampledSoftmaxOptions(Negatives: 1_024)),
        new RankingRunOptions(new RankingTrainingOptions(Epochs: 2), Tower: [256]));

    /// <summary>The recipe of an arm with this ranker weighting, with or without example age.</summary>
    public ArmRecipe Recipe(ImpressionWeighting weighting, bool exampleAge = true) => new(
        exampleAge ? Network : Network with { Features = (Network.Features ?? FeatureSet.All) with { ExampleAge = false } },
        Candidates,
        Ranking with { Training = Ranking.Training with { Weighting = weighting } });
}

/// <summary>
/// The default experiment's arms, trained on the logs before the experiment: one candidate model,
/// and on it a ranker weighted by watch time (the paper's, the control) and one weighted by clicks
/// (every impression 1: a click-through model), each in a model folder of its own.
/// </summary>
public static class DefaultArms
{
    /// <summary>The control arm's name.</summary>
    public const string WatchTime = "watch-time";

    /// <summary>The click-weighted arm's name.</summary>
    public const string Clicks = "clicks";

    /// <summary>The arm without example age.</summary>
    public const string NoExampleAge = "no-example-age";

    /// <summary>The ranker that also values the slate a click earns.</summary>
    public const string Continuation = "continuation";

    /// <summary>The watch-time ranker trained on candidate lists.</summary>
    public const string CandidateLists = "candidate-lists";

    /// <summary>The watch-time ranker with source features, served with co-visits and regional on.</summary>
    public const string Sources = "sources";

    /// <summary>The watch-time ranker with source features, served with the default sources.</summary>
    public const string SourceFeatures = "source-features";

    /// <summary>What the sources arm's service runs beside the network.</summary>
    public static readonly CandidateSources SourcesArmSources = new(CoVisits: 50, Regional: 20);

    /// <summary>The control's models with the fresh-uploads source.</summary>
    public const string FreshSource = "fresh-source";

    /// <summary>Trains the arms into <paramref name="folder"/>/NAME and returns them, control first, each with its recipe.</summary>
    public static async Task<IReadOnlyList<Arm>> TrainAsync(string loggedData, string folder, DefaultArmTraining training, int seed, Action<string>? log, CancellationToken cancellation)
    {
        var watchTime = training.Recipe(ImpressionWeighting.WatchTime);
        var candidates = Path.Combine(folder, "candidates");
        log?.Invoke("experiment: training the candidate model on the logs before the experiment");
        await watchTime.TrainCandidatesAsync(loggedData, candidates, seed, log, cancellation).ConfigureAwait(false);
        var arms = new List<Arm>
        {
            await RankerOnAsync(loggedData, candidates, folder, WatchTime, watchTime, seed, log, cancellation).ConfigureAwait(false),
            await RankerOnAsync(loggedData, candidates, folder, Clicks, training.Recipe(ImpressionWeighting.Unweighted), seed, log, cancellation).ConfigureAwait(false),
        };
        if (training.ContinuationArm)
        {
            arms.Add(await RankerOnAsync(loggedData, candidates, folder, Continuation, training.Recipe(ImpressionWeighting.WatchTimeAndContinuation), seed, log, cancellation).ConfigureAwait(false));
        }
        if (training.ListsArm)
        {
            var lists = watchTime with { Ranking = watchTime.Ranking with { Training = watchTime.Ranking.Training with { CandidateLists = true } } };
            arms.Add(await RankerOnAsync(loggedData, candidates, folder, CandidateLists, lists, seed, log, cancellation).ConfigureAwait(false));
        }
        if (training.SourcesArm)
        {
            var blended = watchTime with { Ranking = watchTime.Ranking with { SourceFeatures = true } };
            arms.Add(await RankerOnAsync(loggedData, candidates, folder, Sources, blended, seed, log, cancellation).ConfigureAwait(false) with { Sources = SourcesArmSources });
        }
        if (training.SourceFeaturesArm)
        {
            var withScores = watchTime with { Ranking = watchTime.Ranking with { SourceFeatures = true } };
            arms.Add(await RankerOnAsync(loggedData, candidates, folder, SourceFeatures, withScores, seed, log, cancellation).ConfigureAwait(false));
        }
        if (training.FreshSourceArm)
        {
            // The control's own folder: the arm differs from it only in what its service is told.
            arms.Add(arms[0] with { Name = FreshSource, FreshUploads = true });
        }
        if (training.ExampleAgeArm)
        {
            var recipe = training.Recipe(ImpressionWeighting.WatchTime, exampleAge: false);
            var withoutAge = Path.Combine(folder, "candidates-no-example-age");
            log?.Invoke("experiment: training the candidate model without example age");
            await recipe.TrainCandidatesAsync(loggedData, withoutAge, seed, log, cancellation).ConfigureAwait(false);
            arms.Add(await RankerOnAsync(loggedData, withoutAge, folder, NoExampleAge, recipe, seed, log, cancellation).ConfigureAwait(false));
        }
        return arms;
    }

    private static async Task<Arm> RankerOnAsync(string data, string candidates, string folder, string name, ArmRecipe recipe, int seed, Action<string>? log, CancellationToken cancellation)
    {
        log?.Invoke($"experiment: training the {name} arm's ranker ({recipe.Ranking.Training.Weighting})");
        var target = Path.Combine(folder, name);
        if (Directory.Exists(target))
        {
            Directory.Delete(target, recursive: true);
        }
        CopyFolder(candidates, target);
        await recipe.TrainRankerAsync(data, target, seed, log, cancellation).ConfigureAwait(false);
        return new Arm(name, target, recipe);
    }

    private static void CopyFolder(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var directory in Directory.GetDirectories(source, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(target, Path.GetRelativePath(source, directory)));
        }
        foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, Path.Combine(target, Path.GetRelativePath(source, file)));
        }
    }
}
