using Funnel.Retrieval.Exact;
using Funnel.Retrieval.Ivf;
using Funnel.Retrieval.Persistence;

namespace Funnel.Retrieval.Tests.Ivf;

public sealed class IvfIndexTests : IDisposable
{
    private const int Dimensions = 32;

    private readonly string folder = Path.Combine(Path.GetTempPath(), $"funnel-ivf-{Guid.NewGuid():N}");

    [Fact]
    public void A_few_probed_lists_of_clustered_vectors_find_most_of_the_exact_top_k_and_more_probes_find_more()
    {
        var vectors = TestVectors.Clustered(20_000, Dimensions, 100, seed: 41);
        var keys = TestVectors.Keys(20_000);
        var queries = TestVectors.Clustered(100, Dimensions, 100, seed: 42);
        using var exact = ExactIndex.Build(vectors, keys, Dimensions, IndexMetric.Cosine);
        using var ivf = IvfIndex.Build(vectors, keys, Dimensions, IndexMetric.Cosine, new IvfOptions(Probes: 1));

        var one = TestVectors.Recall(ivf, exact, queries, 100);
        ivf.Probes = 16;
        var sixteen = TestVectors.Recall(ivf, exact, queries, 100);

        // √20,000 ≈ 141 lists; 16 of them are about 11% of the vectors.
        Assert.Equal(141, ivf.Lists);
        Assert.True(sixteen > one && sixteen >= 0.95, $"1 probe: {one:F3}, 16 probes: {sixteen:F3}");
    }

    [Fact]
    public void Scanning_by_8_bit_codes_then_rescoring_in_f32_finds_what_the_f32_scan_finds()
    {
        var vectors = TestVectors.Clustered(10_000, Dimensions, 60, seed: 54);
        var keys = TestVectors.Keys(10_000);
        var queries = TestVectors.Clustered(50, Dimensions, 60, seed: 55);
        using var codes = IvfIndex.Build(vectors, keys, Dimensions, IndexMetric.Cosine, new IvfOptions(Probes: 8, Rescore: 2));
        using var floats = IvfIndex.Build(vectors, keys, Dimensions, IndexMetric.Cosine, new IvfOptions(Probes: 8, Rescore: 0));

        var agreement = Enumerable.Range(0, 50).Average(q =>
        {
            var query = queries.AsSpan(q * Dimensions, Dimensions).ToArray();
            var exact = floats.Search(query, 100);
            var found = codes.Search(query, 100);
            // The rescored results carry exact f32 scores, whichever of them were found.
            Assert.All(found, n => Assert.Contains(n, floats.Search(query, 1_000)));
            return exact.Select(n => n.Key).Intersect(found.Select(n => n.Key)).Count() / 100.0;
        });

        Assert.True(agreement >= 0.99, $"agreement with the f32 scan {agreement:F3}");
    }

    [Fact]
    public void The_same_seed_builds_the_same_lists_and_another_seed_other_ones()
    {
        var vectors = TestVectors.Clustered(3_000, Dimensions, 30, seed: 43);
        var keys = TestVectors.Keys(3_000);
        using var first = IvfIndex.Build(vectors, keys, Dimensions, IndexMetric.Cosine, new IvfOptions(Lists: 20, Seed: 7));
        using var again = IvfIndex.Build(vectors, keys, Dimensions, IndexMetric.Cosine, new IvfOptions(Lists: 20, Seed: 7));
        using var other = IvfIndex.Build(vectors, keys, Dimensions, IndexMetric.Cosine, new IvfOptions(Lists: 20, Seed: 8));

        Assert.Equal(first.Snapshot().Centroids, again.Snapshot().Centroids);
        Assert.Equal(first.Snapshot().Keys, again.Snapshot().Keys);
        Assert.NotEqual(first.Snapshot().Centroids, other.Snapshot().Centroids);
    }

    [Fact]
    public void A_fresh_upload_joins_the_list_of_its_nearest_centroid_and_one_probe_finds_it()
    {
        var vectors = TestVectors.Clustered(5_000, Dimensions, 40, seed: 44);
        var keys = TestVectors.Keys(5_000);
        using var ivf = IvfIndex.Build(vectors, keys, Dimensions, IndexMetric.Cosine, new IvfOptions(Lists: 50, Probes: 1));
        var fresh = vectors.AsSpan(17 * Dimensions, Dimensions).ToArray();
        fresh[0] += 0.01f;

        ivf.Upsert(1_000_000, fresh);
        var found = ivf.Search(fresh, 1);
        ivf.Upsert(17, TestVectors.Gaussian(1, Dimensions, 45));

        Assert.Equal(1_000_000, found.Single().Key);
        Assert.Equal(5_001, ivf.Count);
        Assert.Equal(5_001, ivf.Snapshot().ListSizes.Sum());
    }

    [Fact]
    public void More_lists_than_vectors_become_one_list_per_vector_and_an_empty_build_is_an_empty_index()
    {
        using var small = IvfIndex.Build(TestVectors.Gaussian(5, Dimensions, 46), TestVectors.Keys(5), Dimensions, IndexMetric.InnerProduct, new IvfOptions(Lists: 64));
        using var empty = IvfIndex.Build([], [], Dimensions, IndexMetric.Cosine);

        Assert.Equal(5, small.Lists);
        Assert.Equal(5, small.Search(TestVectors.Gaussian(1, Dimensions, 47), 10).Length);
        Assert.Empty(empty.Search(TestVectors.Gaussian(1, Dimensions, 48), 10));
        empty.Upsert(3, TestVectors.Gaussian(1, Dimensions, 49));
        Assert.Equal(3, empty.Search(TestVectors.Gaussian(1, Dimensions, 48), 10).Single().Key);
    }

    [Fact]
    public void Saved_and_loaded_it_keeps_its_lists_and_its_probe_setting()
    {
        var vectors = TestVectors.Clustered(2_000, Dimensions, 20, seed: 50);
        using var ivf = IvfIndex.Build(vectors, TestVectors.Keys(2_000), Dimensions, IndexMetric.Cosine, new IvfOptions(Lists: 30, Probes: 2));
        ivf.Probes = 3;

        IndexFolder.Save(ivf, folder, modelVersion: "m1");
        using var loaded = (IvfIndex)IndexFolder.Load(folder, new IndexExpectation(Dimensions, 2_000, "m1"));

        Assert.Equal(3, loaded.Probes);
        Assert.Equal(30, loaded.Lists);
        Assert.Equal(ivf.Snapshot().ListSizes, loaded.Snapshot().ListSizes);
        var query = TestVectors.Gaussian(1, Dimensions, 51);
        Assert.Equal(ivf.Search(query, 50), loaded.Search(query, 50));
    }

    [Fact]
    public void List_sizes_that_do_not_add_up_to_the_keys_are_an_error_that_says_so()
    {
        using var ivf = IvfIndex.Build(TestVectors.Gaussian(200, Dimensions, 52), TestVectors.Keys(200), Dimensions, IndexMetric.Cosine, new IvfOptions(Lists: 4));
        IndexFolder.Save(ivf, folder);
        // Rewrite the sizes file and its checksum together, so only the sizes' sum is wrong.
        RewriteWithChecksum("list-sizes.i32", sizes => sizes[0] ^= 0x01);

        var error = Assert.Throws<InvalidDataException>(() => IndexFolder.Load(folder));

        Assert.Contains("do not fit 200 keys", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_folder_with_a_non_finite_vector_or_no_lists_is_an_error_not_a_wrong_answer()
    {
        using var ivf = IvfIndex.Build(TestVectors.Gaussian(40, Dimensions, 56), TestVectors.Keys(40), Dimensions, IndexMetric.InnerProduct, new IvfOptions(Lists: 4));
        IndexFolder.Save(ivf, folder);
        RewriteWithChecksum("vectors.f32", vectors => BitConverter.GetBytes(float.NaN).CopyTo(vectors, 4 * 5));

        Assert.Contains("non-finite", Assert.Throws<InvalidDataException>(() => IndexFolder.Load(folder)).Message, StringComparison.Ordinal);

        EditManifest(manifest => manifest with { Ivf = manifest.Ivf! with { Lists = 0 } });

        Assert.Throws<InvalidDataException>(() => IndexFolder.Load(folder));
    }

    /// <summary>Changes a data file's bytes and its checksum in the manifest together, so only its content is wrong.</summary>
    private void RewriteWithChecksum(string name, Action<byte[]> change)
    {
        var path = Path.Combine(folder, name);
        var bytes = File.ReadAllBytes(path);
        change(bytes);
        File.WriteAllBytes(path, bytes);
        EditManifest(manifest => manifest with { Files = [.. manifest.Files.Select(f => f.Name == name ? Funnel.Core.FileChecksums.Of(name, bytes) : f)] });
    }

    private void EditManifest(Func<IndexManifest, IndexManifest> edit)
    {
        var path = Path.Combine(folder, IndexManifest.FileName);
        var manifest = System.Text.Json.JsonSerializer.Deserialize<IndexManifest>(File.ReadAllText(path), Funnel.Core.FunnelJson.Files)!;
        File.WriteAllText(path, System.Text.Json.JsonSerializer.Serialize(edit(manifest), Funnel.Core.FunnelJson.Files));
    }

    [Fact]
    public void Invalid_options_are_refused_with_every_value()
    {
        using var ivf = IvfIndex.Build(TestVectors.Gaussian(10, Dimensions, 53), TestVectors.Keys(10), Dimensions);

        var error = Assert.Throws<ArgumentException>(() => new IvfOptions(Lists: -1, Probes: 0).Validate());

        Assert.Contains("lists -1", error.Message, StringComparison.Ordinal);
        Assert.Contains("probes 0", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => ivf.Probes = 0);
    }

    public void Dispose()
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
        GC.SuppressFinalize(this);
    }
}
