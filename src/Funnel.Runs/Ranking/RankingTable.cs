using System.Globalization;
using Funnel.Evaluation.Ranking;

namespace Funnel.Runs.Ranking;

/// <summary>Ranking figures as people read them.</summary>
public static class RankingTable
{
    /// <summary>A Markdown table: one row per configuration, one column per metric.</summary>
    public static string Markdown(IReadOnlyList<RankingMetric> results)
    {
        var metrics = results.Select(r => r.Metric).Distinct().ToList();
        var lines = new List<string>
        {
            "| config | " + string.Join(" | ", metrics) + " |",
            "|---|" + string.Concat(metrics.Select(_ => "---:|")),
        };
        foreach (var config in results.Select(r => r.Config).Distinct())
        {
            lines.Add($"| {config} | " + string.Join(" | ", metrics.Select(m => results.SingleOrDefault(r => r.Config == config && r.Metric == m)?.Value.ToString("0.####", CultureInfo.InvariantCulture) ?? "–")) + " |");
        }
        return string.Join('\n', lines) + "\n";
    }
}
