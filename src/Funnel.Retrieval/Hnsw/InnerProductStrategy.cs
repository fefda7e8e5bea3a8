namespace Funnel.Retrieval.Hnsw;

/// <summary>
/// How an HNSW graph serves inner product, which is not a metric: a vector need not be its own
/// nearest neighbour, and greedy graph search loses its way when norms vary.
/// </summary>
public enum InnerProductStrategy
{
    /// <summary>
    /// Link the graph by angle (cosine), search it by inner product: neighbourhoods are those of a
    /// true metric, and the search still follows the score the model was trained on.
    /// </summary>
    AngularGraph,

    /// <summary>
    /// The reduction of Bachrach et al. (RecSys 2014): v ↦ [v/M, √(1 − |v|²/M²)], q ↦ [q/|q|, 0],
    /// whose cosine orders like q·v. Exact in theory; in practice every query lies far from every
    /// stored vector and graph search suffers (measured in docs/benchmarks.md).
    /// </summary>
    UnitSphereReduction,

    /// <summary>Link and search by raw inner product (what HNSW libraries do when asked for "ip").</summary>
    Raw,
}
