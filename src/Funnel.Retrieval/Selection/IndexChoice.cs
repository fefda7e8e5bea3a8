using Funnel.Retrieval.Exact;
using Funnel.Retrieval.Hnsw;
using Funnel.Retrieval.Ivf;

namespace Funnel.Retrieval.Selection;

/// <summary>Builds the index a corpus calls for.</summary>
public static class IndexChoice
{
    /// <summary>
    /// Up to this many vectors exact search is chosen: one 256-d query then streams at most 50 MB,
    /// about 2 ms on one core here, with perfect recall and nothing to build or tune.
    /// </summary>
    public const int ExactThreshold = 50_000;

    /// <summary>The kind <paramref name="requested"/> resolves to for <paramref name="count"/> vectors.</summary>
    public static IndexKind Resolve(IndexKind requested, long count) =>
        requested != IndexKind.Auto ? requested : count <= ExactThreshold ? IndexKind.Exact : IndexKind.Hnsw;

    /// <summary>Builds an index of <paramref name="vectors"/> [keys.Length, dimensions].</summary>
    public static IVectorIndex Build(ReadOnlySpan<float> vectors, ReadOnlySpan<long> keys, int dimensions, IndexMetric metric, IndexKind kind = IndexKind.Auto, HnswOptions? hnsw = null, IvfOptions? ivf = null) =>
        Resolve(kind, keys.Length) switch
        {
            IndexKind.Exact => ExactIndex.Build(vectors, keys, dimensions, metric),
            IndexKind.Ivf => IvfIndex.Build(vectors, keys, dimensions, metric, ivf),
            _ => HnswIndex.Build(vectors, keys, dimensions, metric, hnsw),
        };
}
