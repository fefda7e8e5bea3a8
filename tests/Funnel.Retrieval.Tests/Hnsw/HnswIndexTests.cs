using Funnel.Retrieval.Exact;
using Funnel.Retrieval.Hnsw;
using Funnel.Retrieval.Persistence;

namespace Funnel.Retrieval.Tests.Hnsw;

public sealed class HnswIndexTests
{
    private const int Dimensions = 64;

    [Fact]
    public void Inner_product_recall_at_100_reaches_095_on_vectors_shaped_like_a_models()
    {
        var vectors = TestVectors.Clustered(20_000, Dimensions, 200, seed: 31);
        var keys = TestVectors.Keys(20_000);
        var queries = TestVectors.Clustered(100, Dimensions, 200, seed: 32);
        using var exact = ExactIndex.Build(vectors, keys, Dimensions);
        // The default angular graph; measured on this set: 0.84 at ef 256, 0.985 at ef 1024.
        using var hnsw = HnswIndex.Build(vectors, keys, Dimensions, IndexMetric.InnerProduct, new HnswOptions(ExpansionSearch: 1024, BuildThreads: 1));

        var recall = TestVectors.Recall(hnsw, exact, queries, 100);

        Assert.True(recall >= 0.95, $"recall@100 {recall:F3}");
    }

    [Fact]
    public void The_search_beam_can_be_widened_on_a_built_index_and_recall_does_not_fall()
    {
        var vectors = TestVectors.Clustered(5_000, Dimensions, 50, seed: 33);
        var keys = TestVectors.Keys(5_000);
        var queries = TestVectors.Clustered(50, Dimensions, 50, seed: 34);
        using var exact = ExactIndex.Build(vectors, keys, Dimensions);
        using var hnsw = HnswIndex.Build(vectors, keys, Dimensions, IndexMetric.InnerProduct, new HnswOptions(ExpansionSearch: 8, BuildThreads: 1));

        var narrow = TestVectors.Recall(hnsw, exact, queries, 50);
        hnsw.ExpansionSearch = 1024;
        var wide = TestVectors.Recall(hnsw, exact, queries, 50);

        Assert.Equal(1024, hnsw.ExpansionSearch);
        Assert.True(wide > narrow && wide >= 0.95, $"ef 8: {narrow:F3}, ef 1024: {wide:F3}");
    }

    [Theory]
    [InlineData(VectorPrecision.F16, 0.01)]
    [InlineData(VectorPrecision.I8, 0.05)]
    public void Quantised_cosine_vectors_cost_little_recall_and_less_memory(VectorPrecision precision, double allowedLoss)
    {
        var vectors = TestVectors.Clustered(5_000, Dimensions, 50, seed: 35);
        var keys = TestVectors.Keys(5_000);
        var queries = TestVectors.Clustered(50, Dimensions, 50, seed: 36);
        using var exact = ExactIndex.Build(vectors, keys, Dimensions, IndexMetric.Cosine);
        using var full = HnswIndex.Build(vectors, keys, Dimensions, IndexMetric.Cosine, new HnswOptions(ExpansionSearch: 256, BuildThreads: 1));
        using var quantised = HnswIndex.Build(vectors, keys, Dimensions, IndexMetric.Cosine, new HnswOptions(ExpansionSearch: 256, Precision: precision, BuildThreads: 1));

        var fullRecall = TestVectors.Recall(full, exact, queries, 50);
        var quantisedRecall = TestVectors.Recall(quantised, exact, queries, 50);

        Assert.True(quantisedRecall >= fullRecall - allowedLoss, $"{precision}: recall@50 {quantisedRecall:F3} against {fullRecall:F3} with float32");
        Assert.True(quantised.SerializedBytes < full.SerializedBytes, $"{precision}: {quantised.SerializedBytes:N0} bytes against {full.SerializedBytes:N0}");
    }

    [Theory]
    [InlineData(InnerProductStrategy.UnitSphereReduction)]
    [InlineData(InnerProductStrategy.Raw)]
    public void Every_inner_product_strategy_finds_the_exact_answer_on_a_small_set(InnerProductStrategy strategy)
    {
        var vectors = TestVectors.Clustered(300, Dimensions, 8, seed: 38);
        var keys = TestVectors.Keys(300);
        var queries = TestVectors.Gaussian(20, Dimensions, 39);
        using var exact = ExactIndex.Build(vectors, keys, Dimensions);
        using var hnsw = HnswIndex.Build(vectors, keys, Dimensions, IndexMetric.InnerProduct, new HnswOptions(ExpansionSearch: 512, BuildThreads: 1, InnerProduct: strategy));

        for (var q = 0; q < 20; q++)
        {
            var query = queries.AsSpan(q * Dimensions, Dimensions);
            var expected = exact.Search(query, 10);
            var found = hnsw.Search(query, 10);
            Assert.Equal(expected.Select(n => n.Key), found.Select(n => n.Key));
            Assert.All(expected.Zip(found), pair => Assert.Equal(pair.First.Score, pair.Second.Score, 0.001f));
        }
    }

    [Fact]
    public void Upserts_longer_than_the_reduction_norm_are_counted_as_clamped()
    {
        var vectors = TestVectors.Gaussian(100, Dimensions, 37);
        using var hnsw = HnswIndex.Build(vectors, TestVectors.Keys(100), Dimensions, IndexMetric.InnerProduct, new HnswOptions(InnerProduct: InnerProductStrategy.UnitSphereReduction));
        var longVector = Enumerable.Repeat(hnsw.MaxNorm, Dimensions).ToArray();

        hnsw.Upsert(1000, longVector);

        Assert.Equal(1, hnsw.ClampedVectors);
        Assert.True(hnsw.Contains(1000));
    }

    [Fact]
    public void A_saved_graph_can_be_memory_mapped_read_only_and_answers_the_same()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"funnel-view-{Guid.NewGuid():N}");
        try
        {
            var vectors = TestVectors.Clustered(2_000, Dimensions, 20, seed: 40);
            var queries = TestVectors.Clustered(20, Dimensions, 20, seed: 41);
            using var built = HnswIndex.Build(vectors, TestVectors.Keys(2_000), Dimensions, IndexMetric.InnerProduct, new HnswOptions(BuildThreads: 1));
            IndexFolder.Save(built, folder);

            using var viewed = (HnswIndex)IndexFolder.Load(folder, view: true);

            Assert.Equal(2_000, viewed.Count);
            Assert.Equal(built.SearchBatch(queries, 10), viewed.SearchBatch(queries, 10));
            Assert.Throws<UsearchException>(() => viewed.Upsert(5_000, queries.AsSpan(0, Dimensions)));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
