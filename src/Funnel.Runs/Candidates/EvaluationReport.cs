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
/// <param name="EaseLambda">The ridge strength EASE used, chosen on the validation queries.</param>
public sealed record EvaluationReport(string Dataset, string Split, int Seed, int Queries, IReadOnlyList<MetricValue> Results, double EaseLambda)
{
    /// <summary>A Markdown table: one row per model, one column per metric and K (then the indexes' recall of the exact top-K).</summary>
    public string ToMarkdown(IReadOnlyList<int> ks)
    {
        var metrics = MetricNames.Retrieval;
        var columns = metrics.SelectMany(m => ks.Select(k => (m, k))).ToArray();
        var lines = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture, $"{Dataset}, {Split} split, {Queries:N0} test queries, seed {Seed}; EASE λ {EaseLambda:G} (chosen on validation NDCG@10)"),
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
        return string.Join('\n', lines) + "\n";
    }
}
