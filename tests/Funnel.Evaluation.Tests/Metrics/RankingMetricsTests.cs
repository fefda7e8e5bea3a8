using Funnel.Evaluation.Metrics;

namespace Funnel.Evaluation.Tests.Metrics;

public sealed class RankingMetricsTests
{
    // Ranked list 7, 3, 9, 1, 5; truth {3, 5, 8}: hits at ranks 2 and 5; item 8 is never retrieved.
    private static readonly int[] Ranked = [7, 3, 9, 1, 5];
    private static readonly HashSet<int> Truth = [3, 5, 8];

    [Theory]
    [InlineData(1, 0.0)]
    [InlineData(2, 1.0)]
    [InlineData(5, 1.0)]
    public void Hit_rate_is_one_once_any_truth_item_is_in_the_top_k(int k, double expected) =>
        Assert.Equal(expected, HitRate.At(Ranked, Truth, k));

    [Theory]
    [InlineData(2, 1.0 / 3)]
    [InlineData(5, 2.0 / 3)]
    [InlineData(50, 2.0 / 3)] // K beyond the list: still only two hits
    public void Recall_counts_hits_over_all_truth(int k, double expected) =>
        Assert.Equal(expected, Recall.At(Ranked, Truth, k), 12);

    [Fact]
    public void Ndcg_discounts_hits_by_log_rank()
    {
        // DCG@5 = 1/log2(3) + 1/log2(6); ideal for 3 items = 1 + 1/log2(3) + 1/2.
        var expected = ((1 / Math.Log2(3)) + (1 / Math.Log2(6))) / (1 + (1 / Math.Log2(3)) + 0.5);

        Assert.Equal(expected, Ndcg.At(Ranked, Truth, 5), 12);
    }

    [Fact]
    public void Average_precision_averages_precision_at_each_hit()
    {
        // Hits at ranks 2 and 5: precisions 1/2 and 2/5, over min(3, 5) = 3 truth items.
        Assert.Equal(((1.0 / 2) + (2.0 / 5)) / 3, AveragePrecision.At(Ranked, Truth, 5), 12);
        // K = 2: one hit at rank 2, over min(3, 2) = 2.
        Assert.Equal(0.5 / 2, AveragePrecision.At(Ranked, Truth, 2), 12);
    }

    [Fact]
    public void Empty_truth_scores_zero_everywhere()
    {
        HashSet<int> none = [];

        Assert.Equal(0.0, Recall.At(Ranked, none, 5));
        Assert.Equal(0.0, Ndcg.At(Ranked, none, 5));
        Assert.Equal(0.0, AveragePrecision.At(Ranked, none, 5));
        Assert.Equal(0.0, HitRate.At(Ranked, none, 5));
    }
}
