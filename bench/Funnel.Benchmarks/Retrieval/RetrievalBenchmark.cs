using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Funnel.Benchmarks.Training;
using Funnel.Retrieval;
using Funnel.Retrieval.Exact;
using Funnel.Retrieval.Hnsw;

namespace Funnel.Benchmarks.Retrieval;

/// <summary>
/// funnel bench retrieval: build time, memory, recall@100 against the exact answer and queries/s of
/// the exact index and of HNSW over a sweep of search beams, on the raw files of
/// ../shared/peers/gen_ann_data.py, so hnswlib (../shared/peers/ann_bench.py) measures the very same
/// vectors. Approximate queries run on one thread, as the peer's do.
/// </summary>
public static class RetrievalBenchmark
{
    /// <summary>Queries timed one at a time for exact search (it is slow).</summary>
    private const int SingleQueries = 200;

    /// <summary>Runs every measurement; <paramref name="log"/> gets one line per row.</summary>
    public static IReadOnlyList<RetrievalBenchmarkRow> Run(RetrievalBenchmarkOptions options, Action<string> log)
    {
        var (vectors, queries, truth) = Load(options, log);
        var keys = Enumerable.Range(0, options.Count).Select(i => (long)i).ToArray();
        var rows = new List<RetrievalBenchmarkRow>();
        void Add(RetrievalBenchmarkRow row)
        {
            rows.Add(row);
            log(Describe(row));
        }

        var clock = Stopwatch.StartNew();
        using (var exact = ExactIndex.Build(vectors, keys, options.Dimensions))
        {
            var build = clock.Elapsed.TotalSeconds;
            var memory = (double)vectors.Length * sizeof(float) / (1 << 20);
            exact.SearchBatch(queries.AsSpan(0, 120 * options.Dimensions), RetrievalBenchmarkOptions.K);
            clock.Restart();
            var batch = exact.SearchBatch(queries, RetrievalBenchmarkOptions.K);
            var seconds = clock.Elapsed.TotalSeconds;
            var exactRecall = Recall(batch, truth);
            if (exactRecall < 0.99)
            {
                // gen_ann_data.py names the query and truth files without N: a later set of another size overwrites them.
                throw new InvalidDataException($"exact search finds only {exactRecall:F3} of the ground truth in {options.DataFolder}: the query and truth files belong to another set; regenerate it with gen_ann_data.py --n {options.Count}");
            }
            Add(new("exact", options.Count, options.Dimensions, RetrievalBenchmarkOptions.K, "batch", exactRecall, RetrievalBenchmarkOptions.Queries / seconds, build, memory, Environment.ProcessorCount));
            var (single, singleSeconds) = SearchOneByOne(exact, queries, options.Dimensions, SingleQueries);
            Add(new("exact", options.Count, options.Dimensions, RetrievalBenchmarkOptions.K, "single", Recall(single, truth), SingleQueries / singleSeconds, build, memory, 1));
        }

        foreach (var strategy in options.Strategies)
        {
            foreach (var precisionName in options.Precisions ?? ["f32"])
            {
                var innerProduct = strategy switch
                {
                    "angular" => InnerProductStrategy.AngularGraph,
                    "raw" => InnerProductStrategy.Raw,
                    "reduction" => InnerProductStrategy.UnitSphereReduction,
                    _ => throw new ArgumentException($"unknown strategy '{strategy}' (angular, raw, reduction)"),
                };
                var precision = precisionName switch
                {
                    "f32" => VectorPrecision.F32,
                    "f16" => VectorPrecision.F16,
                    "i8" => VectorPrecision.I8,
                    _ => throw new ArgumentException($"unknown precision '{precisionName}' (f32, f16, i8)"),
                };
                var name = precision == VectorPrecision.F32 ? $"hnsw-{strategy}" : $"hnsw-{strategy}-{precisionName}";
                clock.Restart();
                // Same graph parameters as the peer script: M = 16, efConstruction = 128.
                using var hnsw = HnswIndex.Build(vectors, keys, options.Dimensions, IndexMetric.InnerProduct, new HnswOptions(Connectivity: 16, ExpansionAdd: 128, Precision: precision, InnerProduct: innerProduct));
                var build = clock.Elapsed.TotalSeconds;
                var memory = hnsw.SerializedBytes / (double)(1 << 20);
                var native = hnsw.MemoryBytes / (double)(1 << 20);
                foreach (var expansion in options.Expansions)
                {
                    hnsw.ExpansionSearch = expansion;
                    var (found, seconds) = SearchOneByOne(hnsw, queries, options.Dimensions, RetrievalBenchmarkOptions.Queries);
                    var recall = Recall(found, truth);
                    Add(new(name, options.Count, options.Dimensions, RetrievalBenchmarkOptions.K, $"ef={expansion}", recall, RetrievalBenchmarkOptions.Queries / seconds, build, memory, 1, native));
                    if (recall >= 0.995)
                    {
                        break;
                    }
                }
            }
        }

        if (options.Peer is not null)
        {
            foreach (var row in Peer(options))
            {
                Add(row);
            }
        }
        return rows;
    }

    /// <summary>Mean over queries of |found ∩ true top-K| / K.</summary>
    private static double Recall(Neighbour[][] found, int[] truth)
    {
        var total = 0.0;
        for (var q = 0; q < found.Length; q++)
        {
            var expected = new HashSet<int>(truth.AsSpan(q * RetrievalBenchmarkOptions.K, RetrievalBenchmarkOptions.K).ToArray());
            total += found[q].Count(n => expected.Contains((int)n.Key)) / (double)RetrievalBenchmarkOptions.K;
        }
        return total / found.Length;
    }

    private static (Neighbour[][] Found, double Seconds) SearchOneByOne(IVectorIndex index, float[] queries, int dimensions, int count)
    {
        index.Search(queries.AsSpan(0, dimensions), RetrievalBenchmarkOptions.K);
        var found = new Neighbour[count][];
        var clock = Stopwatch.StartNew();
        for (var q = 0; q < count; q++)
        {
            found[q] = index.Search(queries.AsSpan(q * dimensions, dimensions), RetrievalBenchmarkOptions.K);
        }
        return (found, clock.Elapsed.TotalSeconds);
    }

    private static (float[] Vectors, float[] Queries, int[] Truth) Load(RetrievalBenchmarkOptions options, Action<string> log)
    {
        var d = options.Dimensions.ToString(CultureInfo.InvariantCulture);
        var baseFile = Path.Combine(options.DataFolder, $"{options.Tag}base_{options.Count}x{d}.f32");
        var queryFile = Path.Combine(options.DataFolder, $"{options.Tag}query_{RetrievalBenchmarkOptions.Queries}x{d}.f32");
        var truthFile = Path.Combine(options.DataFolder, $"{options.Tag}gt_{RetrievalBenchmarkOptions.Queries}x{RetrievalBenchmarkOptions.K}.i32");
        if (new[] { baseFile, queryFile, truthFile }.FirstOrDefault(file => !File.Exists(file)) is { } missing)
        {
            // The clustered set is made here; its variants (lr_, cos_) only by the peer's generator.
            if (options.Tag.Length > 0)
            {
                throw new FileNotFoundException($"{missing} is missing: the '{options.Tag}' set comes from `python3 ../shared/peers/gen_ann_data.py --n {options.Count}` (it writes to $PEERS_OUT/data)", missing);
            }
            log($"bench retrieval: {missing} is missing: making the clustered set here (the peer's gen_ann_data.py writes the same recipe for side-by-side runs)");
            AnnDataSet.Write(baseFile, queryFile, truthFile, options.Count, options.Dimensions, seed: 12_345, log);
        }
        return (Read<float>(baseFile, (long)options.Count * options.Dimensions), Read<float>(queryFile, (long)RetrievalBenchmarkOptions.Queries * options.Dimensions), Read<int>(truthFile, RetrievalBenchmarkOptions.Queries * RetrievalBenchmarkOptions.K));
    }

    private static T[] Read<T>(string path, long expected)
        where T : unmanaged
    {
        var bytes = File.ReadAllBytes(path);
        var values = MemoryMarshal.Cast<byte, T>(bytes).ToArray();
        if (values.LongLength != expected)
        {
            throw new InvalidDataException($"{path} holds {values.LongLength:N0} values, expected {expected:N0}");
        }
        return values;
    }

    /// <summary>The peer's hnswlib sweep on the same files (it builds the index first if missing).</summary>
    private static IEnumerable<RetrievalBenchmarkRow> Peer(RetrievalBenchmarkOptions options)
    {
        var environment = new Dictionary<string, string>
        {
            ["ANN_N"] = options.Count.ToString(CultureInfo.InvariantCulture),
            ["ANN_D"] = options.Dimensions.ToString(CultureInfo.InvariantCulture),
            ["ANN_TAG"] = options.Tag,
        };
        var build = PeerScript.RunAll(options.Peer!, environment, "build", "hnswlib").Single();
        foreach (var sweep in PeerScript.RunAll(options.Peer!, environment, "sweep", "hnswlib"))
        {
            yield return new RetrievalBenchmarkRow(
                "hnswlib",
                options.Count,
                options.Dimensions,
                RetrievalBenchmarkOptions.K,
                $"ef={sweep.GetProperty("param").GetInt32()}",
                sweep.GetProperty("recall").GetDouble(),
                sweep.GetProperty("qps").GetDouble(),
                build.GetProperty("build_s").GetDouble(),
                build.GetProperty("index_rss_mib").GetDouble(),
                1);
        }
    }

    private static string Describe(RetrievalBenchmarkRow row) =>
        string.Create(CultureInfo.InvariantCulture, $"bench retrieval: {row.Index} {row.Param}: recall@{row.K} {row.Recall:F3}, {row.Qps:N0} queries/s on {row.Threads} thread(s), build {row.BuildS:F1} s, {row.MemoryMb:N0} MB");
}
