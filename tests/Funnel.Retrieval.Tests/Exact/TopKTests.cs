using Funnel.Retrieval.Exact;

namespace Funnel.Retrieval.Tests.Exact;

public sealed class TopKTests
{
    [Fact]
    public void Keeps_the_k_best_in_order_with_ties_broken_by_the_smaller_key()
    {
        var best = new TopK(3);
        // Scores 1, 5, 5, 3, 5 under keys 10..14: the three 5s win, keys 11, 12, 14.
        float[] scores = [1, 5, 5, 3, 5];
        for (var i = 0; i < scores.Length; i++)
        {
            best.Offer(10 + i, scores[i]);
        }

        Assert.Equal([new(11, 5), new(12, 5), new(14, 5)], best.ToSortedArray());
    }

    [Fact]
    public void Threshold_is_minus_infinity_until_full_then_the_worst_kept_score()
    {
        var best = new TopK(2);
        best.Offer(1, 4);
        Assert.Equal(float.NegativeInfinity, best.Threshold);

        best.Offer(2, 7);
        best.Offer(3, 5);

        Assert.Equal(5, best.Threshold);
    }

    [Fact]
    public void Matches_a_full_sort_on_random_scores_with_many_ties()
    {
        var random = new Random(3);
        for (var round = 0; round < 50; round++)
        {
            var k = 1 + random.Next(40);
            var pairs = Enumerable.Range(0, random.Next(200)).Select(i => new Neighbour(i, random.Next(20))).ToArray();
            var best = new TopK(k);
            foreach (var (key, score) in pairs)
            {
                best.Offer(key, score);
            }

            var expected = pairs.Order(Comparer<Neighbour>.Create(Neighbour.Compare)).Take(k).ToArray();
            Assert.Equal(expected, best.ToSortedArray());
        }
    }

    [Fact]
    public void Offered_rows_are_kept_by_their_ids_while_the_filter_judges_their_keys()
    {
        var best = new TopK(2);
        float[] scores = [0.1f, 0.9f, 0.8f, 0.7f, 0.2f, 0.3f, 0.4f, 0.5f, 0.95f];
        long[] keys = [100, 101, 102, 103, 104, 105, 106, 107, 108];

        best.OfferRows(scores, keys, new Funnel.Retrieval.Filtering.ExcludedKeys([108]), firstId: 1_000);

        // Key 108 (the best score) is excluded; rows 1 and 2 win, kept as ids 1,001 and 1,002.
        Assert.Equal([1_001L, 1_002L], best.Ids.ToArray().Order());
    }
}
