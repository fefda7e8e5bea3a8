using Funnel.Candidates.Model;
using Funnel.Retrieval;
using Funnel.Retrieval.Hnsw;
using Funnel.Retrieval.Selection;
using static TorchSharp.torch;

namespace Funnel.Candidates.Inference;

/// <summary>The nearest-neighbour index of a network's video vectors, keyed by vocabulary row.</summary>
public static class CandidateIndex
{
    /// <summary>
    /// Indexes rows 1..V−1 (row 0 is the reserved unknown video and is never a candidate) with the
    /// network's own scoring: inner product for the paper's output, cosine for the tempered-cosine
    /// one (the temperature scales every score alike and does not change the order).
    /// </summary>
    public static IVectorIndex Build(CandidateNetwork network, IndexKind kind = IndexKind.Auto, HnswOptions? hnsw = null)
    {
        var (vectors, keys) = IndexedVectors(network);
        var metric = network.Options.Output == OutputKind.Cosine ? IndexMetric.Cosine : IndexMetric.InnerProduct;
        return IndexChoice.Build(vectors, keys, network.Options.EmbeddingDimension, metric, kind, hnsw);
    }

    /// <summary>What the index holds: the serving vectors of rows 1..V−1 [V−1, D] and those rows as keys.</summary>
    public static (float[] Vectors, long[] Keys) IndexedVectors(CandidateNetwork network)
    {
        using var scope = NewDisposeScope();
        var table = network.ServingVideoVectors();
        var vectors = table.narrow(0, 1, table.shape[0] - 1).contiguous().data<float>().ToArray();
        return (vectors, [.. Enumerable.Range(1, network.Options.Videos - 1).Select(row => (long)row)]);
    }
}
