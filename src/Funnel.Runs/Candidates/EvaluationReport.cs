using System.Globalization;
using Funnel.Core;
using Funnel.Evaluation;

namespace Funnel.Runs.Candidates;

/// <summary>What `funnel evaluate` reports (its --json document).</summary>
/// <param name="Dataset">Dataset name.</param>
/// <param name="Split">temporal, leave-last-out or last-interaction.</param>
/// <param name="Seed">The model's seed.</param>
/// <param name="Queries">Test queries evaluated.</param>
/// <param name="Results">Every model's metrics.</param>
/// <param name="EaseLambda">The ridge strength EASE used, chosen on the validation queries (null when EASE was not run).</param>
/// <param name="BeyondAccuracy">Coverage, novelty and diversity of each model's test lists (<see cref="Funnel.Evaluation.BeyondAccuracy"/>).</param>
public sealed record EvaluationReport(string Dataset, string Split, int Seed, int Queries, IReadOnlyList<MetricValue> Results, double? EaseLambda, IReadOnlyList<MetricValue>? BeyondAccuracy = null)
{
    /// <summary>A Markdown table: one row per model, one column per metric and K (then the indexes' recall of the exact top-K).</summary>
    public string ToMarkdown(IReadOnlyList<int> ks)
    {
        var metrics = MetricNames.Retrieval;
        var columns = metrics.SelectMany(m => ks.Select(k => (m, k))).ToArray();
        var lines = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture, $"{Dataset}, {Split} split, {Queries:N0} test queries, seed {Seed}{(EaseLambda is { } lambda ? $"; EASE λ {lambda:G} (chosen on validation NDCG@10)" : "")}"),
            "",
            "| model | " + string.Join(" | ", columns.Select(c => $"{c.m}@{c.k}")) + " |",
            "|---|" + string.Concat(columns.Select(_ => "---:|")),
        };
        foreach (var model in Results.Select(r => r.Model).Distinct())
        {
            var values = columns.Select(c => Results.Single(r => r.Model == model && r.Metric == c.m && r.K == c.k).Value.ToString("F3", CultureInfo.InvariantCulture));
            lines.Add($"| {model} | {string.Join(" | ", values)} |");
        }
        var indexRecall = Results.Where(r => r.Metric == MetricNames.IndexRecall).ToList();
        if (indexRecall.Count > 0)
        {
            lines.Add("");
            lines.Add("| index | " + string.Join(" | ", ks.Select(k => $"recall of the exact top {k}")) + " |");
            lines.Add("|---|" + string.Concat(ks.Select(_ => "---:|")));
            foreach (var model in indexRecall.Select(r => r.Model).Distinct())
            {
                lines.Add($"| {model} | {string.Join(" | ", ks.Select(k => indexRecall.Single(r => r.Model == model && r.K == k).Value.ToString("F3", CultureInfo.InvariantCulture)))} |");
            }
        }
        var beyond = BeyondAccuracy ?? [];
        if (beyond.Count > 0)
        {
            var shown = MetricNames.BeyondAccuracy.Where(m => beyond.Any(r => r.Metric == m)).SelectMany(m => ks.Select(k => (m, k))).ToArray();
            lines.Add("");
            lines.Add("Beyond accuracy, on the same lists: coverage = share of the catalogue in some top K; novelty = mean −log₂ of the recommended videos' training popularity (higher: less popular); diversity = 1 − mean topic Jaccard similarity of the pairs in a top K.");
            lines.Add("");
            lines.Add("| model | " + string.Join(" | ", shown.Select(c => $"{c.m}@{c.k}")) + " |");
            lines.Add("|---|" + string.Concat(shown.Select(_ => "---:|")));
            foreach (var model in beyond.Select(r => r.Model).Distinct())
            {
                lines.Add($"| {model} | {string.Join(" | ", shown.Select(c => beyond.Single(r => r.Model == model && r.Metric == c.m && r.K == c.k).Value.ToString(c.m == MetricNames.Novelty ? "F2" : "F3", CultureInfo.InvariantCulture)))} |");
            }
        }
        return string.Join('\n', lines) + "\n";
    }
}
