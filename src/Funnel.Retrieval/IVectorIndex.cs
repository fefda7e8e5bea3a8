using Funnel.Retrieval.Filtering;

namespace Funnel.Retrieval;

/// <summary>
/// Nearest-neighbour search of query vectors among stored, keyed vectors: the serving side of
/// candidate generation (the query is the user vector u, the stored vectors are the video vectors
/// v). Implementations: <see cref="Exact.ExactIndex"/> (the oracle) and <see cref="Hnsw.HnswIndex"/>.
/// </summary>
/// <remarks>
/// Searches may run concurrently with each other; changes (<see cref="Upsert"/>,
/// <see cref="Remove"/>) must not run concurrently with searches or with each other.
/// </remarks>
public interface IVectorIndex : IDisposable
{
    /// <summary>Short name of the implementation ("exact", "hnsw").</summary>
    string Kind { get; }

    /// <summary>How queries are compared with stored vectors.</summary>
    IndexMetric Metric { get; }

    /// <summary>Length of every vector.</summary>
    int Dimensions { get; }

    /// <summary>Number of stored vectors.</summary>
    long Count { get; }

    /// <summary>True when a vector is stored under <paramref name="key"/>.</summary>
    bool Contains(long key);

    /// <summary>
    /// Stores <paramref name="vector"/> under <paramref name="key"/>, replacing any vector stored
    /// under it: fresh uploads become searchable without a rebuild.
    /// </summary>
    void Upsert(long key, ReadOnlySpan<float> vector);

    /// <summary>Removes the vector stored under <paramref name="key"/>; false when there was none.</summary>
    bool Remove(long key);

    /// <summary>
    /// The nearest stored vectors to <paramref name="query"/> that <paramref name="filter"/>
    /// allows, best first (<see cref="Neighbour.Compare"/>), at most <paramref name="k"/> of them.
    /// </summary>
    Neighbour[] Search(ReadOnlySpan<float> query, int k, ISearchFilter? filter = null);

    /// <summary>
    /// Searches every row of <paramref name="queries"/> (row-major, [queries, Dimensions]);
    /// <paramref name="filters"/> gives each query's filter (or null). Uses every core.
    /// </summary>
    Neighbour[][] SearchBatch(ReadOnlySpan<float> queries, int k, Func<int, ISearchFilter?>? filters = null);
}
