using Funnel.Candidates.Model;
using Funnel.Candidates.Training;
using Funnel.Data.Examples;
using Funnel.Ranking.Training;
using Funnel.Runs.Candidates;
using Funnel.Runs.Ranking;

namespace Funnel.Experiments.Arms;

/// <summary>How an arm's models are trained: what lets the experiment retrain an arm on new data.</summary>
/// <param name="Network">The candidate network.</param>
/// <param name="Candidates">Its training.</param>
/// <param name="Ranking">The ranker and its training (weighting included).</param>
public sealed record ArmRecipe(NetworkShape Network, CandidateTrainingOptions Candidates, RankingRunOptions Ranking)
{
    /// <summary>
    /// The candidate models learn from all but the last 0.5% of the logs (a few hours; no validation
    /// period): models about to serve should know the newest videos, and the default split's last
    /// 20% would leave every video uploaded in the logs' last days out of the vocabulary.
    /// </summary>
    public static readonly SplitOptions ServingSplit = new(ValidationFraction: 0, TestFraction: 0.005);

    /// <summary>Trains the candidate model into <paramref name="folder"/> (replacing what is there).</summary>
    public async Task TrainCandidatesAsync(string data, string folder, int seed, Action<string>? log, CancellationToken cancellation)
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
        await CandidateTrainingRun.RunAsync(
            data,
            folder,
            ServingSplit,
            new ExampleOptions(Seed: seed),
            Network,
            Candidates with { Seed = seed },
            progress: p =>
            {
                if (p.Finished is not null)
                {
                    log?.Invoke(p.Describe($"training {Path.GetFileName(folder)}", "validation recall"));
                }
            },
            log: log,
            cancellation: cancellation).ConfigureAwait(false);
    }

    /// <summary>Trains the ranker into a model folder that already holds its candidate model.</summary>
    public async Task TrainRankerAsync(string data, string folder, int seed, Action<string>? log, CancellationToken cancellation) =>
        await RankingTrainingRun.RunAsync(data, folder, Ranking with { Training = Ranking.Training with { Seed = seed } }, log, cancellation).ConfigureAwait(false);
}
