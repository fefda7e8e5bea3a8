using Funnel.Candidates.Inference;
using Funnel.Retrieval.Exact;
using Funnel.Retrieval.Filtering;
using Funnel.Serving.Contracts;
using Funnel.Serving.Models;
using Funnel.Serving.Recommendations;
using Funnel.Serving.Store;

namespace Funnel.Benchmarks.HotPath;

/// <summary>
/// What BenchmarkDotNet's one-user loop cannot say: the mean time of each stage over many users
/// (the response's debug stages), and how many of the network's candidates the served index finds
/// of the exact top-N by the model's own score, for the same users with the same exclusions.
/// </summary>
public static class StagePass
{
    /// <summary>Stage means (ms) and recall@N of the served index over <paramref name="users"/> users (seed 2).</summary>
    public static (IReadOnlyDictionary<string, double> StageMs, double Recall) Measure(ServingModel model, int users)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(users, 1);
        var recommender = new Recommender(new CandidateSources());
        var random = new Random(2);
        var histories = Enumerable.Range(0, users).Select(_ => RecommendationHotPath.UserWatches(model, random)).ToList();
        var totals = new Dictionary<string, double>();
        foreach (var events in histories)
        {
            var response = recommender.Recommend(model, "stage-pass-user", RecommendationHotPath.SlateSize, new RecommendationContext(), [], events, RecommendationHotPath.Now, debug: true);
            foreach (var (stage, ms) in response.Debug!.StageMs)
            {
                totals[stage] = totals.GetValueOrDefault(stage) + ms;
            }
        }
        return (totals.ToDictionary(s => s.Key, s => s.Value / users), Recall(model, histories, recommender.Sources.Network));
    }

    /// <summary>Mean share of the exact top-<paramref name="k"/> (by the index's metric over the model's vectors) that the served index returns.</summary>
    private static double Recall(ServingModel model, List<List<UserEvent>> histories, int k)
    {
        var (vectors, keys) = CandidateIndex.IndexedVectors(model.Candidates.Network);
        using var exact = ExactIndex.Build(vectors, keys, model.Candidates.Network.Options.EmbeddingDimension, model.Index.Metric);
        var found = 0.0;
        foreach (var events in histories)
        {
            var watched = events.Select(e => e.VideoId).ToList();
            var user = model.Candidates.UserVectors([new UserHistory(watched, [])]);
            var excluded = new ExcludedKeys(watched.Select(model.CandidateRow).OfType<long>());
            var truth = exact.Search(user, k, excluded).Select(n => n.Key).ToHashSet();
            var served = model.Index.Search(user, k, excluded);
            found += served.Count(n => truth.Contains(n.Key)) / (double)Math.Max(1, truth.Count);
        }
        return found / histories.Count;
    }
}
