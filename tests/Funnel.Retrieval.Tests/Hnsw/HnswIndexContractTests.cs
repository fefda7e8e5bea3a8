using Funnel.Retrieval.Hnsw;

namespace Funnel.Retrieval.Tests.Hnsw;

public sealed class HnswIndexContractTests : VectorIndexContract
{
    // A beam wider than the test sets: the graph search must then be exact. One build thread: a
    // parallel build inserts in a varying order, so its graph (and a borderline result) varies.
    protected override IVectorIndex Build(float[] vectors, long[] keys, IndexMetric metric) =>
        HnswIndex.Build(vectors, keys, Dimensions, metric, new HnswOptions(ExpansionSearch: 512, BuildThreads: 1));
}
