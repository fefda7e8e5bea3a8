using Funnel.Retrieval.Ivf;

namespace Funnel.Retrieval.Tests.Ivf;

public sealed class IvfIndexContractTests : VectorIndexContract
{
    // Every list probed: the search must then be exact, whatever the partition.
    protected override IVectorIndex Build(float[] vectors, long[] keys, IndexMetric metric) =>
        IvfIndex.Build(vectors, keys, Dimensions, metric, new IvfOptions(Lists: 8, Probes: 8));
}
