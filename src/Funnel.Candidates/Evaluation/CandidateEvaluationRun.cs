using Funnel.Candidates.Export;
using Funnel.Data.Examples;
using Funnel.Evaluation;
using Funnel.Evaluation.Baselines;

namespace Funnel.Candidates.Evaluation;

/// <summary>What `funnel evaluate` reports (its --json document).</summary>
/// <param name="Dataset">Dataset name.</param>
/// <param name="Split">temporal or leave-last-out.</param>
/// <param name="Seed">The model's seed.</param>
/// <param name="Queries">Test queries evaluated.</param>
/// <param name="Results">Every model's metrics.</param>
public sealed record EvaluationReport(string Dataset, string Split, int Seed, int Queries, IReadOnlyList<MetricValue> Results);

/// <summary>
/// `funnel evaluate`: the model and the built-in baselines on the same split's test queries, ranked
/// over the full corpus with the same code.
/// </summary>
public static class CandidateEvaluationRun
{
    /// <summary>Evaluates; <paramref name="split"/> must be the model's own when given.</summary>
    public static async Task<EvaluationReport> RunAsync(string data, string model, IReadOnlyList<int> ks, SplitKind? split = null, Action<string>? log = null, CancellationToken cancellation = default)
    {
        var manifest = CandidateModelFolder.ReadManifest(model);
        if (split is { } requested && requested != manifest.Split.Kind)
        {
            throw new ArgumentException($"the model was trained on a {SplitOptions.Name(manifest.Split.Kind)} split; evaluating it on {SplitOptions.Name(requested)} would test it on its training data. Train another model for that split.");
        }
        var (_, dataset, dataSplit) = await ModelWithData.OpenAsync(data, model, manifest, cancellation).ConfigureAwait(false);
        using var network = CandidateModelFolder.LoadNetwork(model, manifest);
        var evaluator = new RetrievalEvaluator(dataSplit, new RetrievalEvaluationOptions(ks, Seed: manifest.Training.Seed));
        var results = new List<MetricValue>();
        log?.Invoke("evaluate: funnel");
        results.AddRange(evaluator.Evaluate(new NetworkRetrievalModel(network), dataSplit.Test));
        log?.Invoke("evaluate: popularity");
        results.AddRange(evaluator.Evaluate(new PopularityModel(dataSplit), dataSplit.Test));
        log?.Invoke("evaluate: itemknn");
        results.AddRange(evaluator.Evaluate(new ItemKnnModel(dataSplit), dataSplit.Test));
        log?.Invoke("evaluate: ease");
        using (var ease = new EaseModel(dataSplit))
        {
            results.AddRange(evaluator.Evaluate(ease, dataSplit.Test));
        }
        return new EvaluationReport(dataset.Manifest.Name, SplitOptions.Name(manifest.Split.Kind), manifest.Training.Seed, dataSplit.Test.Count, results);
    }
}
