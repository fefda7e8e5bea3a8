using Funnel.Retrieval.Exact;

namespace Funnel.Retrieval.Tests.Exact;

public sealed class ExactIndexContractTests : VectorIndexContract
{
    protected override IVectorIndex Build(float[] vectors, long[] keys, IndexMetric metric) => ExactIndex.Build(vectors, keys, Dimensions, metric);
}
