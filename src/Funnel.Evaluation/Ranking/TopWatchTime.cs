namespace Funnel.Evaluation.Ranking;

/// <summary>
/// Watch time a ranking would have earned on the logged pages: on every page, the watch seconds of
/// the clicked impressions among the top <c>n</c> by score (ties by the logged order), averaged over
/// pages. Comparing a watch-time model with a click model on it shows whether ordering by expected
/// watch time puts the watched videos first. Logged feedback only: a page's unclicked impressions
/// count 0, whatever they would have earned higher up.
/// </summary>
public static class TopWatchTime
{
    /// <summary>Mean seconds per page of the top <paramref name="n"/> (pages with fewer impressions count all of theirs).</summary>
    public static double Compute(IReadOnlyList<ScoredImpression> impressions, int n)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        double total = 0;
        var pages = 0;
        foreach (var page in impressions.GroupBy(i => (i.User, i.Page)))
        {
            pages++;
            total += page.OrderByDescending(i => i.Score)
                .Take(n)
                .Where(i => i.Clicked && double.IsFinite(i.WatchSeconds))
                .Sum(i => i.WatchSeconds);
        }
        return pages == 0 ? double.NaN : total / pages;
    }
}
