namespace Funnel.Retrieval.Tests;

/// <summary>Seeded vector sets for the tests.</summary>
internal static class TestVectors
{
    /// <summary>Mean recall@k of an approximate index against exact search over the same queries.</summary>
    public static double Recall(IVectorIndex approximate, Funnel.Retrieval.Exact.ExactIndex exact, float[] queries, int k)
    {
        var truth = exact.SearchBatch(queries, k);
        var found = approximate.SearchBatch(queries, k);
        return truth.Zip(found).Average(pair => pair.First.Select(n => n.Key).Intersect(pair.Second.Select(n => n.Key)).Count() / (double)k);
    }

    /// <summary>Independent standard normal components, [count, dimensions].</summary>
    public static float[] Gaussian(int count, int dimensions, int seed)
    {
        var random = new Random(seed);
        var values = new float[count * dimensions];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = Normal(random);
        }
        return values;
    }

    /// <summary>
    /// Shaped like a trained model's video vectors: clusters of popularity-skewed size around random
    /// centres, with log-normal norms (as ../shared/peers/gen_ann_data.py makes them).
    /// </summary>
    public static float[] Clustered(int count, int dimensions, int clusters, int seed)
    {
        var random = new Random(seed);
        var centres = new float[clusters * dimensions];
        for (var i = 0; i < centres.Length; i++)
        {
            centres[i] = Normal(random) / MathF.Sqrt(dimensions);
        }
        var values = new float[count * dimensions];
        for (var v = 0; v < count; v++)
        {
            // Zipf-like cluster choice: the square of a uniform favours low cluster numbers.
            var u = random.NextDouble();
            var cluster = (int)(u * u * clusters);
            var norm = MathF.Exp(0.25f * Normal(random));
            for (var d = 0; d < dimensions; d++)
            {
                values[(v * dimensions) + d] = norm * (centres[(cluster * dimensions) + d] + (0.5f * Normal(random) / MathF.Sqrt(dimensions)));
            }
        }
        return values;
    }

    public static long[] Keys(int count, long first = 0) => [.. Enumerable.Range(0, count).Select(i => first + i)];

    /// <summary>The reference answer: every score in double precision, sorted by (score desc, key asc).</summary>
    public static Neighbour[] Naive(float[] vectors, long[] keys, int dimensions, ReadOnlySpan<float> query, int k, Func<long, bool>? allows = null)
    {
        var all = new List<Neighbour>();
        for (var i = 0; i < keys.Length; i++)
        {
            if (allows is not null && !allows(keys[i]))
            {
                continue;
            }
            double score = 0;
            for (var d = 0; d < dimensions; d++)
            {
                score += (double)query[d] * vectors[(i * dimensions) + d];
            }
            all.Add(new Neighbour(keys[i], (float)score));
        }
        all.Sort(Neighbour.Compare);
        return [.. all.Take(k)];
    }

    private static float Normal(Random random) =>
        (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
}
