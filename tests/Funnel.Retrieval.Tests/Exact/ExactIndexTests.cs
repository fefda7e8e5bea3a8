using Funnel.Retrieval.Exact;

namespace Funnel.Retrieval.Tests.Exact;

public sealed class ExactIndexTests
{
    [Fact]
    public void Every_k_from_1_to_300_matches_the_naive_reference_single_and_batched()
    {
        const int dimensions = 24;
        var vectors = TestVectors.Gaussian(257, dimensions, 21);
        var keys = TestVectors.Keys(257);
        using var index = ExactIndex.Build(vectors, keys, dimensions);
        var queries = TestVectors.Gaussian(3, dimensions, 22);

        for (var k = 1; k <= 300; k++)
        {
            var batch = index.SearchBatch(queries, k);
            for (var q = 0; q < 3; q++)
            {
                var query = queries.AsSpan(q * dimensions, dimensions);
                var expected = TestVectors.Naive(vectors, keys, dimensions, query, k).Select(n => n.Key);
                Assert.Equal(expected, index.Search(query, k).Select(n => n.Key));
                Assert.Equal(expected, batch[q].Select(n => n.Key));
            }
        }
    }

    [Fact]
    public void Equal_scores_are_ordered_by_key_whatever_the_insertion_order()
    {
        // Six copies of one vector and two of a shorter one, inserted with shuffled keys.
        float[] unit = [1, 0, 0, 0, 0, 0, 0, 0];
        using var index = new ExactIndex(8);
        foreach (var key in new long[] { 42, 7, 19, 3, 88, 11 })
        {
            index.Upsert(key, unit);
        }
        index.Upsert(5, unit.Select(x => x / 2).ToArray());
        index.Upsert(1, unit.Select(x => x / 2).ToArray());

        var found = index.Search(unit, 7);

        Assert.Equal([3L, 7, 11, 19, 42, 88, 1], found.Select(n => n.Key));
        Assert.Equal([1f, 1, 1, 1, 1, 1, 0.5f], found.Select(n => n.Score));
    }

    [Fact]
    public void An_index_with_no_vectors_answers_every_query_with_nothing()
    {
        using var index = new ExactIndex(4);

        Assert.Empty(index.Search([1, 2, 3, 4], 10));
        Assert.All(index.SearchBatch(new float[8], 3), Assert.Empty);
    }

    [Fact]
    public void A_batch_that_is_not_whole_queries_or_holds_a_nan_is_refused()
    {
        using var index = ExactIndex.Build(TestVectors.Gaussian(10, 4, 1), TestVectors.Keys(10), 4);

        Assert.Throws<ArgumentException>(() => index.SearchBatch(new float[7], 3));
        var error = Assert.Throws<ArgumentException>(() => index.SearchBatch([1, 2, 3, 4, 1, float.NaN, 3, 4], 3));
        Assert.Contains("query 1", error.Message, StringComparison.Ordinal);
    }
}
