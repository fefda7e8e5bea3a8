namespace Funnel.Benchmarks.Retrieval;

/// <summary>What `funnel bench retrieval` measures.</summary>
/// <param name="DataFolder">Where ../shared/peers/gen_ann_data.py wrote its raw files.</param>
/// <param name="Tag">File-name prefix of the set ("" for the clustered set, "lr_" / "cos_" variants).</param>
/// <param name="Count">Stored vectors (the N in base_{N}x{D}.f32).</param>
/// <param name="Dimensions">Vector length.</param>
/// <param name="Expansions">Search beam widths to sweep.</param>
/// <param name="Strategies">HNSW inner-product strategies to build.</param>
/// <param name="Peer">Path of ../shared/peers/ann_bench.py: sweep hnswlib on the same files.</param>
/// <param name="Precisions">HNSW vector precisions to build each strategy with (f32, f16, i8).</param>
public sealed record RetrievalBenchmarkOptions(
    string DataFolder,
    string Tag,
    int Count,
    int Dimensions,
    IReadOnlyList<int> Expansions,
    IReadOnlyList<string> Strategies,
    string? Peer,
    IReadOnlyList<string>? Precisions = null)
{
    /// <summary>Queries and ground-truth depth gen_ann_data.py writes.</summary>
    public const int Queries = 1000;

    /// <summary>The K of recall@K.</summary>
    public const int K = 100;

    /// <summary>Default sweep of the search beam.</summary>
    public static readonly IReadOnlyList<int> DefaultExpansions = [100, 128, 160, 200, 256, 320, 400, 512, 640, 800, 1024, 1536, 2048];
}
