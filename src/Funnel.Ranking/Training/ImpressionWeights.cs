namespace Funnel.Ranking.Training;

/// <summary>
/// The weights of weighted logistic regression (Covington et al., §4.2): a clicked impression
/// weighs its watch time in seconds, an unclicked one 1. With those weights the learned odds
/// e^logit approximate E[T] · N / (N − k) ≈ E[T] for a small click rate: the expected watch time of
/// the impression. A clicked impression whose source has no watch time (NaN, e.g. Open Bandit's
/// clicks) weighs 1, as in the unweighted model.
/// </summary>
public static class ImpressionWeights
{
    /// <summary>The weight of one impression.</summary>
    public static float Of(bool clicked, float watchSeconds, ImpressionWeighting weighting)
    {
        if (!clicked || weighting == ImpressionWeighting.Unweighted || float.IsNaN(watchSeconds))
        {
            return 1f;
        }
        if (!float.IsFinite(watchSeconds) || watchSeconds < 0)
        {
            throw new ArgumentException($"watch time {watchSeconds} is not a non-negative number of seconds");
        }
        return watchSeconds;
    }
}
