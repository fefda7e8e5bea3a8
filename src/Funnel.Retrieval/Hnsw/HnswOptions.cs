namespace Funnel.Retrieval.Hnsw;

/// <summary>How an HNSW index stores its vectors.</summary>
public enum VectorPrecision
{
    /// <summary>32-bit floats: no loss.</summary>
    F32,

    /// <summary>16-bit floats: half the memory.</summary>
    F16,

    /// <summary>8-bit integers: a quarter of the memory (vectors are unit length inside the index, so [-1, 1] maps onto the int8 range).</summary>
    I8,
}

/// <summary>The graph's parameters (defaults: USearch's and hnswlib's usual M = 16, a wide construction beam).</summary>
/// <param name="Connectivity">Neighbours per node (HNSW's M).</param>
/// <param name="ExpansionAdd">Beam width while inserting (efConstruction).</param>
/// <param name="ExpansionSearch">Beam width while searching (ef); can be changed on a built or loaded index.</param>
/// <param name="Precision">How vectors are stored.</param>
/// <param name="BuildThreads">Threads that insert in parallel during a build; 0 means one per core.</param>
/// <param name="InnerProduct">How inner product is served (ignored for cosine).</param>
/// <param name="NormHeadroom">
/// For the unit-sphere reduction: M is the largest norm at build time times this headroom, so later
/// upserts with somewhat larger norms still map exactly.
/// </param>
public sealed record HnswOptions(
    int Connectivity = 16,
    int ExpansionAdd = 128,
    int ExpansionSearch = 64,
    VectorPrecision Precision = VectorPrecision.F32,
    int BuildThreads = 0,
    InnerProductStrategy InnerProduct = InnerProductStrategy.AngularGraph,
    double NormHeadroom = 1.25)
{
    /// <summary>Rejects values the graph cannot use, naming them.</summary>
    public HnswOptions Validate()
    {
        if (Connectivity < 2 || ExpansionAdd < 1 || ExpansionSearch < 1 || BuildThreads < 0 || NormHeadroom < 1)
        {
            throw new ArgumentException($"invalid HNSW options: connectivity {Connectivity} (≥ 2), expansion add {ExpansionAdd} and search {ExpansionSearch} (≥ 1), build threads {BuildThreads} (≥ 0), norm headroom {NormHeadroom} (≥ 1)");
        }
        return this;
    }

    /// <summary>The build's thread count.</summary>
    public int EffectiveBuildThreads => BuildThreads > 0 ? BuildThreads : Environment.ProcessorCount;
}
