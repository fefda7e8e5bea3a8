using System.Globalization;
using Funnel.Core;
using Funnel.Evaluation.Ranking;

namespace Funnel.Runs.Ranking;

/// <summary>Ranking figures as people read them: each metric in its own number format, and what each column means under the table.</summary>
public static class RankingTable
{
    /// <summary>What each metric column means (docs/ranking.md has the details).</summary>
    private static readonly Dictionary<string, string> Meanings = new(StringComparer.Ordinal)
    {
        [MetricNames.WeightedPerUserLoss] = "the paper's metric: of the watch time of clicked impressions paired with an unclicked one on the same page, the share the ranker put below the unclicked one (ties half; lower is better, 0.5 is a constant model)",
        [MetricNames.Auc] = "area under the ROC curve of the clicks over every held-out impression (0.5 is chance)",
        [MetricNames.WatchSecondsTop(1)] = "watch seconds of each page's top-scored impression, averaged over pages",
        [MetricNames.WatchSecondsTop(3)] = "the same for each page's top 3",
        [MetricNames.WatchOddsOverActual] = "mean e^logit over the mean watch seconds per impression: what the odds mean (near 1/(1 − click share) when they estimate watch time)",
        [MetricNames.Pairs] = "the (clicked, unclicked) same-page pairs the per-user loss counted",
    };

    /// <summary>A Markdown table: one row per ranker (named by its hidden layers, e.g. 256 or 1024-512-256), one column per metric, then the columns' meanings.</summary>
    public static string Markdown(IReadOnlyList<RankingMetric> results)
    {
        var metrics = results.Select(r => r.Metric).Distinct().ToList();
        var lines = new List<string>
        {
            "| ranker (hidden layers) | " + string.Join(" | ", metrics) + " |",
            "|---|" + string.Concat(metrics.Select(_ => "---:|")),
        };
        foreach (var config in results.Select(r => r.Config).Distinct())
        {
            lines.Add($"| {config} | " + string.Join(" | ", metrics.Select(m => results.SingleOrDefault(r => r.Config == config && r.Metric == m) is { } r ? Format(m, r.Value) : "–")) + " |");
        }
        lines.Add("");
        foreach (var metric in metrics.Where(Meanings.ContainsKey))
        {
            lines.Add($"- `{metric}`: {Meanings[metric]}.");
        }
        return string.Join('\n', lines) + "\n";
    }

    /// <summary>A metric's value in its own format: counts whole, seconds to a tenth, shares and ratios to three or four places.</summary>
    public static string Format(string metric, double value) => metric switch
    {
        MetricNames.Pairs => value.ToString("N0", CultureInfo.InvariantCulture),
        _ when metric.StartsWith("watch_seconds_top", StringComparison.Ordinal) => value.ToString("F1", CultureInfo.InvariantCulture),
        MetricNames.WatchOddsOverActual => value.ToString("F2", CultureInfo.InvariantCulture),
        MetricNames.Auc => value.ToString("F3", CultureInfo.InvariantCulture),
        _ => value.ToString("F4", CultureInfo.InvariantCulture),
    };
}
