using Funnel.Candidates.Inference;
using Funnel.Candidates.Model;
using Funnel.Core;
using Funnel.Data.Examples;
using Funnel.Evaluation;
using Funnel.Evaluation.Baselines;
using Funnel.Ranking.Inference;
using Funnel.Retrieval;
using Funnel.Runs.Recommendations;
using Funnel.Serving.Recommendations;

namespace Funnel.Runs.Candidates;

/// <summary>
/// `funnel evaluate`: the model and the built-in baselines on the same split's test queries, ranked
/// over the full corpus with the same code.
/// </summary>
public static class CandidateEvaluationRun
{
    /// <summary>The built-in baselines, in report order.</summary>
    public static readonly IReadOnlyList<string> Baselines = ["popularity", "itemknn", "ease"];

    /// <summary>Evaluates; <paramref name="split"/> must be the model's own when given.</summary>
    /// <param name="data">Dataset folder.</param>
    /// <param name="model">Model folder.</param>
    /// <param name="ks">Cut-offs.</param>
    /// <param name="split">The split asked for (must be the model's).</param>
    /// <param name="indexes">
    /// Also serve the model through these indexes (funnel-exact, funnel-hnsw) and report, besides
    /// their metrics, each index's recall of the exact top-K (metric "index_recall").
    /// </param>
    /// <param name="slate">Also the whole funnel with these candidate sources: the folder's final slates (<see cref="SlateEvaluation"/>), which needs its ranker; null for none.</param>
    /// <param name="log">Progress lines.</param>
    /// <param name="cancellation">Stops between stages.</param>
    /// <param name="baselines">The baselines to fit and score, of <see cref="Baselines"/> (null: all; EASE takes most of an evaluation's time on a large corpus).</param>
    public static async Task<EvaluationReport> RunAsync(string data, string model, IReadOnlyList<int> ks, SplitKind? split = null, IReadOnlyList<IndexKind>? indexes = null, CandidateSources? slate = null, Action<string>? log = null, IReadOnlySet<string>? baselines = null, CancellationToken cancellation = default)
    {
        baselines ??= Baselines.ToHashSet();
        if (baselines.FirstOrDefault(b => !Baselines.Contains(b)) is { } unknown)
        {
            throw new ArgumentException($"--baselines: unknown baseline '{unknown}'; expected any of {string.Join(", ", Baselines)}, or none");
        }
        var manifest = CandidateModelFolder.ReadManifest(model);
        if (slate is not null && !File.Exists(Path.Combine(model, RankingModelFolder.Stage, RankingManifest.FileName)))
        {
            throw new ArgumentException($"--funnel scores the final slate, which needs the ranking stage in {model}: run funnel train ranking --data {data} --out {model} first");
        }
        if (split is { } requested && requested != manifest.Split.Kind)
        {
            throw new ArgumentException($"the model was trained on a {SplitOptions.Name(manifest.Split.Kind)} split; evaluating it on {SplitOptions.Name(requested)} would test it on its training data. Train another model for that split.");
        }
        var (_, dataset, dataSplit) = await ModelWithData.OpenAsync(data, model, manifest, cancellation).ConfigureAwait(false);
        using var network = CandidateModelFolder.LoadNetwork(model, manifest);
        var evaluator = new RetrievalEvaluator(dataSplit, new RetrievalEvaluationOptions(ks, Seed: manifest.Training.Seed));
        var results = new List<MetricValue>();
        var beyond = new List<MetricValue>();
        // Each model's coverage, novelty and diversity, from the lists its accuracy is scored on.
        IReadOnlyList<MetricValue> Scored(string name, Func<RetrievalEvaluator.RankedListAction, IReadOnlyList<MetricValue>> evaluate, RetrievalEvaluator.RankedListAction? also = null)
        {
            var lists = new BeyondAccuracy(dataSplit, ks);
            var visit = lists.Visitor;
            var metrics = evaluate(also is null ? visit : (query, ranked) =>
            {
                visit(query, ranked);
                also(query, ranked);
            });
            beyond.AddRange(lists.Results(name));
            return metrics;
        }
        log?.Invoke("evaluate: funnel");
        // The exact top-K lists are kept only when indexes are to be compared with them.
        var exactTop = new Dictionary<int, int[]>();
        RetrievalEvaluator.RankedListAction? keep = indexes is { Count: > 0 } ? (query, ranked) => exactTop[query] = ranked.ToArray() : null;
        var funnel = new NetworkRetrievalModel(network);
        results.AddRange(Scored(funnel.Name, visit => evaluator.Evaluate(funnel, dataSplit.Test, visit), keep));
        foreach (var kind in indexes ?? [])
        {
            log?.Invoke($"evaluate: funnel through the {kind.ToString().ToLowerInvariant()} index");
            results.AddRange(EvaluateThroughIndex(evaluator, network, exactTop, kind, dataSplit.Test));
        }
        if (slate is not null)
        {
            log?.Invoke($"evaluate: {SlateEvaluation.ModelName} (the service's pipeline as of each test query; sources {slate})");
            results.AddRange(await SlateEvaluation.EvaluateAsync(dataset, dataSplit, evaluator, model, slate, log: log, cancellation: cancellation).ConfigureAwait(false));
        }
        if (baselines.Contains("popularity"))
        {
            log?.Invoke("evaluate: popularity");
            var popularity = new PopularityModel(dataSplit);
            results.AddRange(Scored(popularity.Name, visit => evaluator.Evaluate(popularity, dataSplit.Test, visit)));
        }
        if (baselines.Contains("itemknn"))
        {
            log?.Invoke("evaluate: itemknn");
            var itemKnn = new ItemKnnModel(dataSplit);
            results.AddRange(Scored(itemKnn.Name, visit => evaluator.Evaluate(itemKnn, dataSplit.Test, visit)));
        }
        double? lambda = null;
        if (baselines.Contains("ease"))
        {
            log?.Invoke("evaluate: ease (λ chosen on the validation queries)");
            using var ease = EaseModel.ChosenOnValidation(dataSplit, manifest.Training.Seed, log: log);
            lambda = ease.Lambda;
            results.AddRange(Scored(ease.Name, visit => evaluator.Evaluate(ease, dataSplit.Test, visit)));
        }
        return new EvaluationReport(dataset.Manifest.Name, SplitOptions.Name(manifest.Split.Kind), manifest.Training.Seed, dataSplit.Test.Count, results, lambda, beyond);
    }

    /// <summary>The model's metrics through one index, and how much of the exact top-K (<paramref name="truth"/>, by query) the index finds.</summary>
    private static IEnumerable<MetricValue> EvaluateThroughIndex(RetrievalEvaluator evaluator, CandidateNetwork network, Dictionary<int, int[]> truth, IndexKind kind, EvaluationQueries queries)
    {
        using var index = CandidateIndex.Build(network, kind);
        var served = new IndexedNetworkModel(network, index, $"funnel-{index.Kind}");
        var overlap = new double[evaluator.Options.Cutoffs.Count];
        var metrics = evaluator.Evaluate(served, queries, (query, ranked) =>
        {
            for (var c = 0; c < overlap.Length; c++)
            {
                var cutoff = evaluator.Options.Cutoffs[c];
                var expected = truth[query].Take(cutoff).ToHashSet();
                var found = ranked[..Math.Min(cutoff, ranked.Length)].ToArray();
                overlap[c] += expected.Count == 0 ? 1 : found.Count(expected.Contains) / (double)expected.Count;
            }
        });
        // Every evaluated query has an exact list: both passes rank the same seeded subset.
        var evaluated = truth.Count;
        return [.. metrics, .. evaluator.Options.Cutoffs.Select((cutoff, c) => new MetricValue(served.Name, MetricNames.IndexRecall, cutoff, evaluated == 0 ? 0 : overlap[c] / evaluated))];
    }
}
