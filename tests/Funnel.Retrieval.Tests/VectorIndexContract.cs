using Funnel.Retrieval.Filtering;
using Funnel.Retrieval.Persistence;

namespace Funnel.Retrieval.Tests;

/// <summary>
/// What every index must do, run over each implementation. The sets are small enough that the
/// approximate index, searched with a beam wider than the set, must agree with exact search.
/// </summary>
public abstract class VectorIndexContract : IDisposable
{
    protected const int Dimensions = 16;

    private readonly string folder = Path.Combine(Path.GetTempPath(), $"funnel-index-{Guid.NewGuid():N}");

    protected abstract IVectorIndex Build(float[] vectors, long[] keys, IndexMetric metric);

    [Theory]
    [InlineData(IndexMetric.InnerProduct)]
    [InlineData(IndexMetric.Cosine)]
    public void Finds_the_same_neighbours_as_the_naive_reference(IndexMetric metric)
    {
        var vectors = TestVectors.Clustered(300, Dimensions, 8, seed: 1);
        var keys = TestVectors.Keys(300, first: 1000);
        using var index = Build(vectors, keys, metric);
        var reference = metric == IndexMetric.Cosine ? Normalised(vectors) : vectors;

        for (var q = 0; q < 20; q++)
        {
            var query = TestVectors.Gaussian(1, Dimensions, 100 + q);
            var expected = TestVectors.Naive(reference, keys, Dimensions, metric == IndexMetric.Cosine ? Normalised(query) : query, 10);

            var found = index.Search(query, 10);

            Assert.Equal(expected.Select(n => n.Key), found.Select(n => n.Key));
            Assert.All(expected.Zip(found), pair => Assert.Equal(pair.First.Score, pair.Second.Score, 0.001f));
        }
    }

    [Fact]
    public void Excluded_keys_never_appear_and_k_results_still_come_back()
    {
        var vectors = TestVectors.Clustered(300, Dimensions, 8, seed: 2);
        var keys = TestVectors.Keys(300);
        using var index = Build(vectors, keys, IndexMetric.InnerProduct);
        var query = TestVectors.Gaussian(1, Dimensions, 7);
        // Exclude the 50 nearest: a search that filtered afterwards would come back nearly empty.
        var nearest = index.Search(query, 50).Select(n => n.Key).ToArray();
        var filter = new ExcludedKeys(nearest);

        var found = index.Search(query, 20, filter);

        Assert.Equal(20, found.Length);
        Assert.DoesNotContain(found, n => nearest.Contains(n.Key));
        Assert.Equal(TestVectors.Naive(vectors, keys, Dimensions, query, 20, filter.Allows).Select(n => n.Key), found.Select(n => n.Key));
    }

    [Fact]
    public void Upsert_adds_fresh_vectors_and_replaces_existing_ones_without_a_rebuild()
    {
        var vectors = TestVectors.Clustered(200, Dimensions, 4, seed: 3);
        using var index = Build(vectors, TestVectors.Keys(200), IndexMetric.InnerProduct);
        var query = TestVectors.Gaussian(1, Dimensions, 9);
        var fresh = query.Select(x => 3 * x).ToArray();

        index.Upsert(5000, fresh);
        Assert.Equal(5000, index.Search(query, 1)[0].Key);
        Assert.Equal(201, index.Count);

        // Key 5000 now points the other way: it must leave the top.
        index.Upsert(5000, fresh.Select(x => -x).ToArray());
        Assert.NotEqual(5000, index.Search(query, 1)[0].Key);
        Assert.Equal(201, index.Count);
        Assert.True(index.Contains(5000));
    }

    [Fact]
    public async Task Searches_run_while_fresh_vectors_are_upserted_and_removed()
    {
        var vectors = TestVectors.Clustered(200, Dimensions, 4, seed: 15);
        using var index = Build(vectors, TestVectors.Keys(200), IndexMetric.InnerProduct);
        var fresh = TestVectors.Gaussian(300, Dimensions, 16);
        var queries = TestVectors.Gaussian(300, Dimensions, 17);

        var writer = Task.Run(() =>
        {
            for (var i = 0; i < 300; i++)
            {
                index.Upsert(10_000 + i, fresh.AsSpan(i * Dimensions, Dimensions));
                if (i % 3 == 0)
                {
                    index.Remove(10_000 + i);
                }
            }
        });
        var reader = Task.Run(() => Enumerable.Range(0, 300).Select(q => index.Search(queries.AsSpan(q * Dimensions, Dimensions), 10).Length).ToArray());
        await writer;
        var found = await reader;

        Assert.All(found, count => Assert.Equal(10, count));
        Assert.Equal(400, index.Count);
    }

    [Fact]
    public void Removed_keys_are_gone()
    {
        var vectors = TestVectors.Clustered(200, Dimensions, 4, seed: 4);
        using var index = Build(vectors, TestVectors.Keys(200), IndexMetric.InnerProduct);
        var query = TestVectors.Gaussian(1, Dimensions, 11);
        var top = index.Search(query, 3);

        Assert.True(index.Remove(top[0].Key));
        Assert.False(index.Remove(top[0].Key));
        Assert.False(index.Contains(top[0].Key));
        Assert.Equal(199, index.Count);
        Assert.Equal(top[1].Key, index.Search(query, 1)[0].Key);
    }

    [Fact]
    public void A_k_above_the_corpus_returns_every_vector_and_an_empty_index_returns_nothing()
    {
        var vectors = TestVectors.Gaussian(5, Dimensions, 5);
        using var index = Build(vectors, TestVectors.Keys(5), IndexMetric.InnerProduct);
        var query = TestVectors.Gaussian(1, Dimensions, 6);

        Assert.Equal(5, index.Search(query, 300).Length);
        foreach (var key in TestVectors.Keys(5))
        {
            index.Remove(key);
        }
        Assert.Empty(index.Search(query, 10));
    }

    [Fact]
    public void Bad_queries_are_refused_with_the_reason()
    {
        using var index = Build(TestVectors.Gaussian(10, Dimensions, 8), TestVectors.Keys(10), IndexMetric.InnerProduct);
        var query = new float[Dimensions];
        query[3] = float.NaN;

        Assert.Contains("non-finite", Assert.Throws<ArgumentException>(() => index.Search(query, 5)).Message, StringComparison.Ordinal);
        Assert.Contains("dimensions", Assert.Throws<ArgumentException>(() => index.Search(new float[Dimensions + 1], 5)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => index.Search(new float[Dimensions], 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => index.Upsert(-1, new float[Dimensions]));
    }

    [Fact]
    public void A_batch_answers_like_single_searches()
    {
        var vectors = TestVectors.Clustered(300, Dimensions, 8, seed: 9);
        using var index = Build(vectors, TestVectors.Keys(300), IndexMetric.InnerProduct);
        var queries = TestVectors.Gaussian(37, Dimensions, 10);
        var filter = new ExcludedKeys([0, 1, 2, 3]);

        var batch = index.SearchBatch(queries, 12, q => q % 2 == 0 ? filter : null);

        for (var q = 0; q < 37; q++)
        {
            var single = index.Search(queries.AsSpan(q * Dimensions, Dimensions), 12, q % 2 == 0 ? filter : null);
            Assert.Equal(single.Select(n => n.Key), batch[q].Select(n => n.Key));
        }
    }

    [Fact]
    public void Saved_and_loaded_it_answers_the_same()
    {
        var vectors = TestVectors.Clustered(300, Dimensions, 8, seed: 12);
        using var index = Build(vectors, TestVectors.Keys(300), IndexMetric.InnerProduct);
        var queries = TestVectors.Gaussian(10, Dimensions, 13);

        IndexFolder.Save(index, folder, modelVersion: "m1");
        using var loaded = IndexFolder.Load(folder, new IndexExpectation(Dimensions, 300, "m1"));

        Assert.Equal(index.Kind, loaded.Kind);
        Assert.Equal(index.Metric, loaded.Metric);
        for (var q = 0; q < 10; q++)
        {
            var query = queries.AsSpan(q * Dimensions, Dimensions);
            Assert.Equal(index.Search(query, 10), loaded.Search(query, 10));
        }
    }

    [Fact]
    public void A_corrupt_or_mismatched_index_folder_is_an_error_that_names_the_problem()
    {
        using var index = Build(TestVectors.Gaussian(50, Dimensions, 14), TestVectors.Keys(50), IndexMetric.InnerProduct);
        IndexFolder.Save(index, folder, modelVersion: "m1");

        Assert.Contains("model 'm1', not 'm2'", Assert.Throws<InvalidDataException>(() => IndexFolder.Load(folder, new IndexExpectation(ModelVersion: "m2"))).Message, StringComparison.Ordinal);
        Assert.Contains("the model 32", Assert.Throws<InvalidDataException>(() => IndexFolder.Load(folder, new IndexExpectation(Dimensions: 32))).Message, StringComparison.Ordinal);

        // Flip one byte in the middle of the largest data file.
        var data = Directory.GetFiles(folder).Where(f => !f.EndsWith(IndexManifest.FileName, StringComparison.Ordinal)).OrderByDescending(f => new FileInfo(f).Length).First();
        var bytes = File.ReadAllBytes(data);
        bytes[bytes.Length / 2] ^= 0x5A;
        File.WriteAllBytes(data, bytes);
        Assert.Contains("corrupt", Assert.Throws<InvalidDataException>(() => IndexFolder.Load(folder)).Message, StringComparison.Ordinal);

        File.WriteAllBytes(data, bytes[..^8]);
        Assert.Contains("truncated", Assert.Throws<InvalidDataException>(() => IndexFolder.Load(folder)).Message, StringComparison.Ordinal);

        File.WriteAllText(Path.Combine(folder, IndexManifest.FileName), "{ not json");
        Assert.Contains("not a valid index manifest", Assert.Throws<InvalidDataException>(() => IndexFolder.Load(folder)).Message, StringComparison.Ordinal);

        File.Delete(Path.Combine(folder, IndexManifest.FileName));
        Assert.Contains("is missing", Assert.Throws<InvalidDataException>(() => IndexFolder.Load(folder)).Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
        GC.SuppressFinalize(this);
    }

    private static float[] Normalised(float[] vectors)
    {
        var result = (float[])vectors.Clone();
        for (var start = 0; start < result.Length; start += Dimensions)
        {
            var row = result.AsSpan(start, Dimensions);
            var norm = MathF.Sqrt(row.ToArray().Sum(x => x * x));
            for (var d = 0; d < Dimensions; d++)
            {
                row[d] /= norm;
            }
        }
        return result;
    }
}
