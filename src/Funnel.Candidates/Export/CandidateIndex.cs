using Funnel.Candidates.Model;
using Funnel.Retrieval;
using Funnel.Retrieval.Hnsw;
using static TorchSharp.torch;

namespace Funnel.Candidates.Export;

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
        float[] vectors;
        using (var scope = NewDisposeScope())
        {
            var table = network.ServingVideoVectors();
            vectors = table.narrow(0, 1, table.shape[0] - 1).contiguous().data<float>().ToArray();
        }
        var keys = Enumerable.Range(1, network.Options.Videos - 1).Select(row => (long)row).ToArray();
        var metric = network.Options.Output == OutputKind.Cosine ? IndexMetric.Cosine : IndexMetric.InnerProduct;
        return IndexChoice.Build(vectors, keys, network.Options.EmbeddingDimension, metric, kind, hnsw);
    }
}
