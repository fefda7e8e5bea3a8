namespace Funnel.Evaluation.Ranking;

/// <summary>
/// Area under the ROC curve of the scores for the click labels, over all impressions: the chance
/// that a random clicked impression outscores a random unclicked one, ties counting half (the
/// Mann–Whitney statistic with mid-ranks). NaN when either class is empty.
/// </summary>
public static class ClickAuc
{
    /// <summary>Computes the AUC.</summary>
    public static double Compute(IReadOnlyList<ScoredImpression> impressions)
    {
        var order = Enumerable.Range(0, impressions.Count).OrderBy(i => impressions[i].Score).ToArray();
        double positives = 0;
        double rankSum = 0;
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            while (end < order.Length && impressions[order[end]].Score == impressions[order[start]].Score)
            {
                end++;
            }
            // Mid-rank (1-based) of the tied run.
            var midRank = ((start + 1) + end) / 2.0;
            for (var i = start; i < end; i++)
            {
                if (impressions[order[i]].Clicked)
                {
                    positives++;
                    rankSum += midRank;
                }
            }
            start = end;
        }
        var negatives = impressions.Count - positives;
        return positives == 0 || negatives == 0 ? double.NaN : (rankSum - (positives * (positives + 1) / 2)) / (positives * negatives);
    }
}
