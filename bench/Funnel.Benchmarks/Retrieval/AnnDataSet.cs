using System.Diagnostics;
using System.Globalization;
using System.Numerics.Tensors;

namespace Funnel.Benchmarks.Retrieval;

/// <summary>
/// The clustered vector set of `funnel bench retrieval`, made here when the peer's generator
/// (../shared/peers/gen_ann_data.py) has not written it: the same recipe (a mixture of 1,000
/// Gaussians with Zipf-like popularity and log-normal norms, so inner-product search resembles
/// learned item vectors), seeded, with the exact top 100 of each query by inner product. Not the
/// same draws as numpy's: a side-by-side run with the peer uses the peer's files, which are
/// preferred when present.
/// </summary>
internal static class AnnDataSet
{
    private const int Clusters = 1_000;

    /// <summary>Writes the base, query and ground-truth files the benchmark reads (raw little-endian, atomically); returns how long it took.</summary>
    public static TimeSpan Write(string baseFile, string queryFile, string truthFile, int count, int dimensions, int seed, Action<string> log)
    {
        var clock = Stopwatch.StartNew();
        var random = new Random(seed);
        var scale = 1 / MathF.Sqrt(dimensions);
        var centers = new float[Clusters * dimensions];
        for (var i = 0; i < centers.Length; i++)
        {
            centers[i] = Gaussian(random) * scale;
        }
        var cumulative = new double[Clusters];
        var total = 0.0;
        for (var c = 0; c < Clusters; c++)
        {
            total += 1 / Math.Pow(c + 1, 0.7);
            cumulative[c] = total;
        }
        var spread = Enumerable.Range(0, Clusters).Select(_ => (float)(0.35 + (0.3 * random.NextDouble())) * scale).ToArray();
        float[] Sample(int n)
        {
            var vectors = new float[(long)n * dimensions];
            for (var v = 0; v < n; v++)
            {
                var cluster = Array.BinarySearch(cumulative, random.NextDouble() * total);
                cluster = cluster < 0 ? Math.Min(~cluster, Clusters - 1) : cluster;
                var norm = MathF.Exp(0.25f * Gaussian(random));
                for (var j = 0; j < dimensions; j++)
                {
                    vectors[((long)v * dimensions) + j] = (centers[(cluster * dimensions) + j] + (spread[cluster] * Gaussian(random))) * norm;
                }
            }
            return vectors;
        }
        var stored = Sample(count);
        var queries = Sample(RetrievalBenchmarkOptions.Queries);
        log(string.Create(CultureInfo.InvariantCulture, $"bench retrieval: generated {count:N0} + {RetrievalBenchmarkOptions.Queries:N0} clustered {dimensions}-d vectors in {clock.Elapsed.TotalSeconds:F1} s; exact top {RetrievalBenchmarkOptions.K} of each query next"));
        var truth = new int[RetrievalBenchmarkOptions.Queries * RetrievalBenchmarkOptions.K];
        Parallel.For(0, RetrievalBenchmarkOptions.Queries, q =>
        {
            var query = queries.AsSpan(q * dimensions, dimensions);
            var best = new PriorityQueue<int, float>(RetrievalBenchmarkOptions.K + 1);
            for (var v = 0; v < count; v++)
            {
                var score = TensorPrimitives.Dot(query, stored.AsSpan((int)((long)v * dimensions), dimensions));
                if (best.Count < RetrievalBenchmarkOptions.K)
                {
                    best.Enqueue(v, score);
                }
                else if (best.TryPeek(out _, out var lowest) && score > lowest)
                {
                    best.EnqueueDequeue(v, score);
                }
            }
            // The queue gives the lowest first: the list is best first.
            for (var r = RetrievalBenchmarkOptions.K - 1; r >= 0; r--)
            {
                truth[(q * RetrievalBenchmarkOptions.K) + r] = best.Dequeue();
            }
        });
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(baseFile))!);
        PeerFileSet.Save(baseFile, stored);
        PeerFileSet.Save(queryFile, queries);
        PeerFileSet.Save(truthFile, truth);
        log(string.Create(CultureInfo.InvariantCulture, $"bench retrieval: wrote the set to {Path.GetDirectoryName(Path.GetFullPath(baseFile))} in {clock.Elapsed.TotalSeconds:F1} s (reused by later runs)"));
        return clock.Elapsed;
    }

    /// <summary>A standard normal draw (Box–Muller).</summary>
    private static float Gaussian(Random random) =>
        (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
}
