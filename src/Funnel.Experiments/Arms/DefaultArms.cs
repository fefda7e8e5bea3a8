using Funnel.Candidates.Model;
using Funnel.Candidates.Training;
using Funnel.Data.Examples;
using Funnel.Ranking.Training;

namespace Funnel.Experiments.Arms;

/// <summary>How the default arms are trained.</summary>
/// <param name="Network">The candidate network.</param>
/// <param name="Candidates">Its training.</param>
/// <param name="Ranking">The rankers (the click arm differs only in weighting).</param>
/// <param name="ExampleAgeArm">Also train a "no-example-age" arm: the candidate network without example age, with the watch-time ranker.</param>
public sealed record DefaultArmTraining(NetworkShape Network, CandidateTrainingOptions Candidates, RankingRunOptions Ranking, bool ExampleAgeArm = false)
{
    /// <summary>The demo's sizes: a minute or two per arm on two cores for a world of a few thousand users.</summary>
    public static readonly DefaultArmTraining Small = new(
        new NetworkShape(64, [256, 128, 64]),
        new CandidateTrainingOptions(Epochs: 4, Softmax: new SampledSoftmaxOptions(Negatives: 1_024)),
        new RankingRunOptions(new RankingTrainingOptions(Epochs: 2), Tower: [256]));
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

    /// <summary>
    /// The candidate models learn from all but the last 2% of the logs (no validation period):
    /// models about to serve should know the newest videos, and the default split's last 20% would
    /// leave every video uploaded in the logs' last days out of the vocabulary.
    /// </summary>
    public static readonly SplitOptions ServingSplit = new(ValidationFraction: 0, TestFraction: 0.02);

    /// <summary>Trains the arms into <paramref name="folder"/>/NAME and returns them, control first.</summary>
    public static async Task<IReadOnlyList<Arm>> TrainAsync(string loggedData, string folder, DefaultArmTraining training, int seed, Action<string>? log, CancellationToken cancellation)
    {
        var candidates = Path.Combine(folder, "candidates");
        await TrainCandidatesAsync(loggedData, candidates, training.Network, training, seed, log, cancellation).ConfigureAwait(false);
        var arms = new List<Arm>
        {
            await TrainRankerAsync(loggedData, candidates, Path.Combine(folder, WatchTime), WatchTime, training, ImpressionWeighting.WatchTime, seed, log, cancellation).ConfigureAwait(false),
            await TrainRankerAsync(loggedData, candidates, Path.Combine(folder, Clicks), Clicks, training, ImpressionWeighting.Unweighted, seed, log, cancellation).ConfigureAwait(false),
        };
        if (training.ExampleAgeArm)
        {
            var withoutAge = Path.Combine(folder, "candidates-no-example-age");
            var shape = training.Network with { Features = (training.Network.Features ?? FeatureSet.All) with { ExampleAge = false } };
            await TrainCandidatesAsync(loggedData, withoutAge, shape, training, seed, log, cancellation).ConfigureAwait(false);
            arms.Add(await TrainRankerAsync(loggedData, withoutAge, Path.Combine(folder, NoExampleAge), NoExampleAge, training, ImpressionWeighting.WatchTime, seed, log, cancellation).ConfigureAwait(false));
        }
        return arms;
    }

    private static async Task TrainCandidatesAsync(string data, string folder, NetworkShape shape, DefaultArmTraining training, int seed, Action<string>? log, CancellationToken cancellation)
    {
        log?.Invoke($"experiment: training the candidate model {Path.GetFileName(folder)} on the logs before the experiment");
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
        await CandidateTrainingRun.RunAsync(data, folder, ServingSplit, new ExampleOptions(Seed: seed), shape, training.Candidates with { Seed = seed }, log: log, cancellation: cancellation).ConfigureAwait(false);
    }

    private static async Task<Arm> TrainRankerAsync(string data, string candidates, string folder, string name, DefaultArmTraining training, ImpressionWeighting weighting, int seed, Action<string>? log, CancellationToken cancellation)
    {
        log?.Invoke($"experiment: training the {name} arm's ranker ({weighting})");
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
        CopyFolder(candidates, folder);
        var options = training.Ranking with { Training = training.Ranking.Training with { Weighting = weighting, Seed = seed } };
        await RankingTrainingRun.RunAsync(data, folder, options, log, cancellation).ConfigureAwait(false);
        return new Arm(name, folder);
    }

    private static void CopyFolder(string source, string target)
    {
        foreach (var directory in Directory.GetDirectories(source, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(target, Path.GetRelativePath(source, directory)));
        }
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, Path.Combine(target, Path.GetRelativePath(source, file)));
        }
    }
}
