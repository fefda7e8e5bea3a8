namespace Funnel.Core;

/// <summary>
/// The names metrics carry in results, JSON documents and reports (../shared/CLI.md fixes them):
/// every producer and reader of a metric refers to it here.
/// </summary>
public static class MetricNames
{
    /// <summary>Hit rate @K: share of queries whose held-out video is in the top K.</summary>
    public const string HitRate = "hr";

    /// <summary>Recall @K.</summary>
    public const string Recall = "recall";

    /// <summary>Normalised discounted cumulative gain @K.</summary>
    public const string Ndcg = "ndcg";

    /// <summary>Mean average precision @K.</summary>
    public const string MeanAveragePrecision = "map";

    /// <summary>The retrieval metrics, in report order.</summary>
    public static readonly IReadOnlyList<string> Retrieval = [HitRate, Recall, Ndcg, MeanAveragePrecision];

    /// <summary>Mean self-information −log₂ p of the recommended videos, p their training popularity (beyond accuracy).</summary>
    public const string Novelty = "novelty";

    /// <summary>Mean intra-list topic distance of the top K (beyond accuracy).</summary>
    public const string Diversity = "diversity";

    /// <summary>The beyond-accuracy metrics, in report order.</summary>
    public static readonly IReadOnlyList<string> BeyondAccuracy = [Coverage, Novelty, Diversity];

    /// <summary>An approximate index's recall of the exact top K.</summary>
    public const string IndexRecall = "index_recall";

    /// <summary>The paper's ranking metric: mis-ordered watch time per user (lower is better).</summary>
    public const string WeightedPerUserLoss = "weighted_per_user_loss";

    /// <summary>Area under the click ROC curve.</summary>
    public const string Auc = "auc";

    /// <summary>Mean of e^logit over the mean watch seconds per impression.</summary>
    public const string WatchOddsOverActual = "watch_odds_over_actual";

    /// <summary>Same-page (clicked, unclicked) pairs the per-user loss counted.</summary>
    public const string Pairs = "pairs";

    /// <summary>Watch seconds of each page's top <paramref name="n"/> impressions by score.</summary>
    public static string WatchSecondsTop(int n) => $"watch_seconds_top{n}";

    /// <summary>Online: watch seconds per user and day.</summary>
    public const string WatchSecondsPerUserDay = "watch_seconds_per_user_day";

    /// <summary>Online: clicks per user and day.</summary>
    public const string ClicksPerUserDay = "clicks_per_user_day";

    /// <summary>Online: clicks per impression.</summary>
    public const string ClickThroughRate = "ctr";

    /// <summary>Online: completed watches per click.</summary>
    public const string CompletionRate = "completion_rate";

    /// <summary>Share of the catalogue shown at least once: online, in slates; offline, in some test top K (beyond accuracy).</summary>
    public const string Coverage = "coverage";

    /// <summary>Online: share of impressions of videos under a day old.</summary>
    public const string FreshImpressionShare = "fresh_impression_share";

    /// <summary>Online: share of watch time on videos under a day old.</summary>
    public const string FreshWatchShare = "fresh_watch_share";

    /// <summary>Online: share of impressions the fresh-uploads source nominated.</summary>
    public const string FreshSourceShare = "fresh_source_share";

    /// <summary>Online: clicks per session (a click earns the session another slate).</summary>
    public const string ClicksPerSession = "clicks_per_session";

    /// <summary>Online: slates served per session.</summary>
    public const string SlatesPerSession = "slates_per_session";

    /// <summary>Online: mean age of the videos shown, days.</summary>
    public const string MeanShownAgeDays = "mean_shown_age_days";

    /// <summary>Online: mean length of the videos shown, seconds.</summary>
    public const string MeanShownDurationSeconds = "mean_shown_duration_s";
}
