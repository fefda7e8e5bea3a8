using Funnel.Candidates.Inference;
using Funnel.Core;
using Funnel.Evaluation.Ranking;
using Funnel.Ranking.Inference;
using Funnel.Ranking.Training;

namespace Funnel.Runs.Ranking;

/// <summary>The held-out figures of a model folder's ranker, next to a reference ordering.</summary>
/// <param name="Dataset">The dataset's name.</param>
/// <param name="HoldoutStartUtc">First time of the holdout.</param>
/// <param name="Impressions">Held-out impressions.</param>
/// <param name="Results">Metrics per configuration: the ranker, and "candidate-score" (impressions ordered by the candidate model alone) when it had candidate features.</param>
public sealed record RankingEvaluation(string Dataset, DateTimeOffset HoldoutStartUtc, int Impressions, IReadOnlyList<RankingMetric> Results);

/// <summary>
/// <c>funnel evaluate ranking</c>: re-creates the ranker's later-time holdout from the dataset,
/// encodes it with the saved vocabularies and normalisers, and scores it.
/// </summary>
public static class RankingEvaluationRun
{
    /// <summary>Name of a ranker configuration in reports, as in Table 1.</summary>
    public static string ConfigName(RankingManifest manifest) =>
        manifest.Network.TowerName
        + (manifest.Network.Powers ? "" : "-no-powers")
        + manifest.Training.Weighting switch
        {
            ImpressionWeighting.Unweighted => "-unweighted",
            ImpressionWeighting.WatchTimeAndContinuation => "-continuation",
            _ => "",
        };

    /// <summary>Evaluates the ranker of <paramref name="modelFolder"/> on <paramref name="dataPath"/>'s holdout.</summary>
    public static async Task<RankingEvaluation> RunAsync(string dataPath, string modelFolder, Action<string>? log = null, CancellationToken cancellation = default)
    {
        using var model = RankingModel.Load(modelFolder);
        var manifest = model.Manifest;
        if (manifest.CandidateModelVersion is { } version)
        {
            var current = CandidateModelFolder.ReadManifest(modelFolder).VersionTag();
            if (current != version)
            {
                throw new DataFormatException(Path.Combine(modelFolder, RankingModelFolder.Stage, RankingManifest.FileName), 0, "candidateModelVersion", $"the ranker was trained on candidate model {version}, but the folder now holds {current}: retrain the ranker (funnel train ranking)");
            }
        }
        var data = await RankingData.PrepareAsync(dataPath, manifest.CandidateModelVersion is null ? null : modelFolder, manifest.HoldoutFraction, manifest.Training.Lists, manifest.UsesSourceFeatures, log, cancellation).ConfigureAwait(false);
        var test = model.Space.Encode(data.TestInputs);
        var results = new List<RankingMetric>(RankingMetrics.Compute(ConfigName(manifest), data.ScoreTest(model.Network, test)));
        if (manifest.CandidateModelVersion is not null)
        {
            var byCandidate = data.TestRows.Select(i => data.Examples[i])
                .Select(e => new ScoredImpression(e.User, e.Page, e.Nomination.Score, e.Clicked, e.WatchSeconds))
                .ToList();
            results.AddRange(RankingMetrics.Compute("candidate-score", byCandidate, scoresAreLogits: false));
        }
        return new RankingEvaluation(data.Dataset.Manifest.Name, data.HoldoutStart, data.TestRows.Count, results);
    }
}
