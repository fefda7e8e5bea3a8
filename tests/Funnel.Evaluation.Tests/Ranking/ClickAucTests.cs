
using Funnel.Evaluation.Ranking;

namespace Funnel.Evaluation.Tests.Ranking;

public sealed class ClickAucTests
{
    private static ScoredImpression Shown(float score, bool clicked) => new(1, 1, score, clicked, clicked ? 10 : 0);

    [Fact]
    public void Counts_the_share_of_positive_negative_pairs_in_order_with_ties_half()
    {
        // Positives 0.9 and 0.5; negatives 0.7, 0.5, 0.1. Pairs: (0.9 > all three) 3, (0.5 vs 0.7) 0,
        // (0.5 = 0.5) ½, (0.5 > 0.1) 1 → 4.5 of 6.
        ScoredImpression[] impressions = [Shown(0.9f, true), Shown(0.5f, true), Shown(0.7f, false), Shown(0.5f, false), Shown(0.1f, false)];

        Assert.Equal(4.5 / 6, ClickAuc.Compute(impressions), 12);
    }

    [Fact]
    public void Perfect_reversed_and_undefined_orderings()
    {
        Assert.Equal(1.0, ClickAuc.Compute([Shown(2, true), Shown(1, false)]));
        Assert.Equal(0.0, ClickAuc.Compute([Shown(1, true), Shown(2, false)]));
        Assert.True(double.IsNaN(ClickAuc.Compute([Shown(1, true), Shown(2, true)])));
    }
}
