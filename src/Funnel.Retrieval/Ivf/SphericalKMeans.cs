using Funnel.Retrieval.Exact;

namespace Funnel.Retrieval.Ivf;

/// <summary>
/// k-means on directions (unit vectors, centroids renormalised after each update), as FAISS trains
/// an inner-product IVF: a sample of the vectors, seeded initial centroids, Lloyd iterations whose
/// assignment step is the exact index's batched scan. A list left empty is re-seeded with a sampled
/// vector, so every list keeps a centroid inside the data.
/// </summary>
internal static class SphericalKMeans
{
    /// <summary>Rows assigned per batch: bounds the copy the batched scan makes of its queries.</summary>
    private const int AssignChunk = 65_536;

    /// <summary>Trains <paramref name="lists"/> unit centroids [lists, dimensions] on a sample of <paramref name="rows"/>.</summary>
    public static float[] Train(ReadOnlySpan<float> rows, int dimensions, int lists, IvfOptions options, Action<string>? log)
    {
        var count = rows.Length / dimensions;
        var random = new Random(options.Seed);
        var sampleSize = (int)Math.Min(count, (long)lists * options.SamplePerList);
        // A partial Fisher–Yates shuffle: the first sampleSize positions are a uniform sample, in random order.
        var order = Enumerable.Range(0, count).ToArray();
        for (var i = 0; i < sampleSize; i++)
        {
            var j = random.Next(i, count);
            (order[i], order[j]) = (order[j], order[i]);
        }
        var sample = new float[(long)sampleSize * dimensions];
        for (var i = 0; i < sampleSize; i++)
        {
            var target = sample.AsSpan(i * dimensions, dimensions);
            rows.Slice(order[i] * dimensions, dimensions).CopyTo(target);
            UnitVectors.Normalise(target);
        }
        var centroids = new float[lists * dimensions];
        sample.AsSpan(0, lists * dimensions).CopyTo(centroids);
        var sums = new double[lists * dimensions];
        var members = new int[lists];
        for (var iteration = 0; iteration < options.Iterations; iteration++)
        {
            var assignment = Assign(sample, centroids, dimensions);
            Array.Clear(sums);
            Array.Clear(members);
            for (var i = 0; i < sampleSize; i++)
            {
                var list = assignment[i];
                members[list]++;
                var point = sample.AsSpan(i * dimensions, dimensions);
                var sum = sums.AsSpan(list * dimensions, dimensions);
                for (var d = 0; d < dimensions; d++)
                {
                    sum[d] += point[d];
                }
            }
            var empty = 0;
            for (var list = 0; list < lists; list++)
            {
                var centroid = centroids.AsSpan(list * dimensions, dimensions);
                if (members[list] == 0)
                {
                    empty++;
                    sample.AsSpan(random.Next(sampleSize) * dimensions, dimensions).CopyTo(centroid);
                    continue;
                }
                var sum = sums.AsSpan(list * dimensions, dimensions);
                for (var d = 0; d < dimensions; d++)
                {
                    centroid[d] = (float)sum[d];
                }
                UnitVectors.Normalise(centroid);
            }
            log?.Invoke($"ivf: k-means iteration {iteration + 1}/{options.Iterations} over {sampleSize:N0} sampled vectors, {lists:N0} lists, {empty} re-seeded");
        }
        return centroids;
    }

    /// <summary>The list of each row [rows.Length / dimensions]: the centroid with the largest inner product (ties: the lower list).</summary>
    public static int[] Assign(ReadOnlySpan<float> rows, ReadOnlySpan<float> centroids, int dimensions)
    {
        var lists = centroids.Length / dimensions;
        var count = rows.Length / dimensions;
        using var nearest = ExactIndex.Build(centroids, [.. Enumerable.Range(0, lists).Select(l => (long)l)], dimensions);
        var assignment = new int[count];
        for (var start = 0; start < count; start += AssignChunk)
        {
            var chunk = Math.Min(AssignChunk, count - start);
            var found = nearest.SearchBatch(rows.Slice(start * dimensions, chunk * dimensions), 1);
            for (var i = 0; i < chunk; i++)
            {
                assignment[start + i] = (int)found[i][0].Key;
            }
        }
        return assignment;
    }
}
