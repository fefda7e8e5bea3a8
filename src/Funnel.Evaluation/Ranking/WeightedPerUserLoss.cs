namespace Funnel.Evaluation.Ranking;

/// <summary>The result of <see cref="WeightedPerUserLoss"/>.</summary>
/// <param name="Loss">Mispredicted watch time / total watch time over the pairs (NaN without pairs).</param>
/// <param name="Pairs">(positive, negative) pairs counted.</param>
/// <param name="MispredictedSeconds">Watch time of positives ranked below a negative.</param>
/// <param name="TotalSeconds">Watch time of the positives, once per pair.</param>
public sealed record WeightedPairLoss(double Loss, long Pairs, double MispredictedSeconds, double TotalSeconds);

/// <summary>
/// The paper's ranking metric (Covington et al., §4.2, Table 1): for every pair of a positive
/// (clicked) and a negative (unclicked) impression shown to the same user on the same page, if the
/// negative scores higher, the positive's watch time is mispredicted; the loss is mispredicted watch
/// time over total watch time, summed over all held-out pairs. A tie (equal scores) counts half the
/// positive's watch time as mispredicted: a model that scores everything alike then loses 50%.
/// A positive without a recorded watch time (NaN: clicks-only sources such as Open Bandit) weighs 1,
/// which makes the loss the share of mis-ordered pairs.
/// </summary>
public static class WeightedPerUserLoss
{
    /// <summary>Computes the loss over every page's pairs.</summary>
    public static WeightedPairLoss Compute(IEnumerable<ScoredImpression> impressions)
    {
        long pairs = 0;
        double mispredicted = 0;
        double total = 0;
        foreach (var page in impressions.GroupBy(i => (i.User, i.Page)))
        {
            var negatives = page.Where(i => !i.Clicked).Select(i => i.Score).Order().ToArray();
            if (negatives.Length == 0)
            {
                continue;
            }
            foreach (var positive in page.Where(i => i.Clicked))
            {
                var seconds = double.IsNaN(positive.WatchSeconds) ? 1.0 : positive.WatchSeconds;
                if (!double.IsFinite(seconds) || seconds < 0)
                {
                    throw new ArgumentException($"user {positive.User}, page {positive.Page}: watch time {positive.WatchSeconds} is not a non-negative number");
                }
                var higher = negatives.Length - UpperBound(negatives, positive.Score);
                var tied = UpperBound(negatives, positive.Score) - LowerBound(negatives, positive.Score);
                pairs += negatives.Length;
                total += seconds * negatives.Length;
                mispredicted += seconds * (higher + (0.5 * tied));
            }
        }
        return new WeightedPairLoss(total > 0 ? mispredicted / total : double.NaN, pairs, mispredicted, total);
    }

    /// <summary>Index of the first score ≥ value.</summary>
    private static int LowerBound(float[] sorted, float value)
    {
        var index = Array.BinarySearch(sorted, value);
        if (index < 0)
        {
            return ~index;
        }
        while (index > 0 && sorted[index - 1] == value)
        {
            index--;
        }
        return index;
    }

    /// <summary>Index of the first score &gt; value.</summary>
    private static int UpperBound(float[] sorted, float value)
    {
        var index = Array.BinarySearch(sorted, value);
        if (index < 0)
        {
            return ~index;
        }
        while (index < sorted.Length && sorted[index] == value)
        {
            index++;
        }
        return index;
    }
}
