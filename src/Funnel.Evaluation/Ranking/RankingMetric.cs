using Funnel.Core;

namespace Funnel.Evaluation.Ranking;

/// <summary>One figure of one ranker configuration on the held-out impressions.</summary>
/// <param name="Config">Configuration name (Table 1: the hidden layers, e.g. "1024-512-256", plus suffixes).</param>
/// <param name="Metric">weighted_per_user_loss, auc, watch_seconds_top1, watch_seconds_top3, pairs, …</param>
/// <param name="Value">The figure.</param>
public sealed record RankingMetric(string Config, string Metric, double Value);

/// <summary>The ranker's held-out figures, computed together.</summary>
public static class RankingMetrics
{
    /// <summary>The cut-offs of the watch-time-of-top-N figure.</summary>
    public static readonly int[] TopN = [1, 3];

    /// <summary>Weighted per-user loss, click AUC and top-N watch seconds of <paramref name="config"/>'s scores.</summary>
    /// <param name="config">The configuration's name.</param>
    /// <param name="scored">The held-out impressions with scores.</param>
    /// <param name="scoresAreLogits">
    /// The scores are a ranker's logits: also report watch_odds_over_actual, mean e^logit over the mean
    /// watch seconds per impression. Weighted logistic regression's odds are E[T]·N/(N − k), so with
    /// click share k/N the ratio should come out near 1/(1 − k/N), not 1.
    /// </param>
    public static IReadOnlyList<RankingMetric> Compute(string config, IReadOnlyList<ScoredImpression> scored, bool scoresAreLogits = true)
    {
        var loss = WeightedPerUserLoss.Compute(scored);
        var metrics = new List<RankingMetric>
        {
            new(config, MetricNames.WeightedPerUserLoss, loss.Loss),
            new(config, MetricNames.Auc, ClickAuc.Compute(scored)),
        };
        metrics.AddRange(TopN.Select(n => new RankingMetric(config, MetricNames.WatchSecondsTop(n), TopWatchTime.Compute(scored, n))));
        if (scoresAreLogits)
        {
            var watched = scored.Where(i => i.Clicked && double.IsFinite(i.WatchSeconds)).Sum(i => i.WatchSeconds);
            var odds = scored.Sum(i => Math.Exp(i.Score));
            metrics.Add(new RankingMetric(config, MetricNames.WatchOddsOverActual, watched > 0 ? odds / watched : double.NaN));
        }
        metrics.Add(new RankingMetric(config, MetricNames.Pairs, loss.Pairs));
        return metrics;
    }
}
