
using Funnel.Evaluation.Ranking;

namespace Funnel.Evaluation.Tests.Ranking;

public sealed class TopWatchTimeTests
{
    [Fact]
    public void Sums_the_watch_time_of_each_pages_top_n_and_averages_over_pages()
    {
        ScoredImpression[] impressions =
        [
            // Page 1: the model puts the 100 s watch first, then an unclicked one, then the 40 s watch.
            new(1, 1, 0.9f, true, 100),
            new(1, 1, 0.8f, false, 0),
            new(1, 1, 0.7f, true, 40),
            // Page 2 (another user, same page id): its only click is ranked last.
            new(2, 1, 0.9f, false, 0),
            new(2, 1, 0.1f, true, 60),
        ];

        Assert.Equal((100 + 0) / 2.0, TopWatchTime.Compute(impressions, 1));
        Assert.Equal((100 + 60) / 2.0, TopWatchTime.Compute(impressions, 2));
        Assert.Equal((140 + 60) / 2.0, TopWatchTime.Compute(impressions, 3));
    }
}
