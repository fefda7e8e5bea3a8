namespace Funnel.Ranking.Training;

/// <summary>
/// The weights of weighted logistic regression (Covington et al., §4.2): a clicked impression
/// weighs its watch time in seconds, an unclicked one 1. With those weights the learned odds
/// e^logit approximate E[T] · N / (N − k) ≈ E[T] for a small click rate: the expected watch time of
/// the impression. A clicked impression whose source has no watch time (NaN, e.g. Open Bandit's
/// clicks) weighs 1, as in the unweighted model. With a continuation value, a click weighs that
/// much more (<see cref="ImpressionWeighting.WatchTimeAndContinuation"/>).
/// </summary>
public static class ImpressionWeights
{
    /// <summary>The weight of one impression.</summary>
    public static float Of(bool clicked, float watchSeconds, ImpressionWeighting weighting, float continuationSeconds = 0)
    {
        if (!clicked || weighting == ImpressionWeighting.Unweighted || float.IsNaN(watchSeconds))
        {
            return 1f;
        }
        if (!float.IsFinite(watchSeconds) || watchSeconds < 0)
        {
            throw new ArgumentException($"watch time {watchSeconds} is not a non-negative number of seconds");
        }
        return weighting == ImpressionWeighting.WatchTimeAndContinuation ? watchSeconds + continuationSeconds : watchSeconds;
    }

    /// <summary>The unit of the odds e^logit a ranker trained with these weights learns.</summary>
    public static string ScoreUnit(IReadOnlyList<bool> clicked, IReadOnlyList<float> watchSeconds, ImpressionWeighting weighting) =>
        weighting != ImpressionWeighting.Unweighted && Enumerable.Range(0, clicked.Count).Any(i => clicked[i] && float.IsFinite(watchSeconds[i]) && watchSeconds[i] > 0)
            ? WatchSeconds
            : ClickOdds;

    /// <summary>Odds that approximate expected watch seconds: clicks weighed by their watch time.</summary>
    public const string WatchSeconds = "watch-seconds";

    /// <summary>Odds that approximate the expected completion (0 to 1) of a watch: candidate lists from a log with completions but no watch times or durations (MovieLens: rating / 5).</summary>
    public const string ExpectedCompletion = "expected-completion";

    /// <summary>Click odds P/(1 − P): unweighted, or a log without watch times (every click weighs 1).</summary>
    public const string ClickOdds = "click-odds";

    /// <summary>The continuation value of a click: the mean watch seconds of the clicked impressions with a watch time (0 without any).</summary>
    public static float ContinuationSeconds(IReadOnlyList<bool> clicked, IReadOnlyList<float> watchSeconds)
    {
        var watched = Enumerable.Range(0, clicked.Count).Where(i => clicked[i] && float.IsFinite(watchSeconds[i]) && watchSeconds[i] >= 0).Select(i => (double)watchSeconds[i]).ToList();
        return watched.Count == 0 ? 0f : (float)watched.Average();
    }
}
