using Funnel.Data.Examples;

namespace Funnel.Evaluation;

/// <summary>
/// A model that answers with its top rows directly, through a nearest-neighbour index, instead of
/// scoring every row: how candidate generation is served. Evaluating it shows what the index costs.
/// </summary>
public interface IIndexedRetrievalModel
{
    /// <summary>The name results are reported under (e.g. funnel-hnsw).</summary>
    string Name { get; }

    /// <summary>
    /// The best <paramref name="k"/> video rows for each of the batch's users, best first, never a
    /// row in that user's <paramref name="excluded"/> set (applied inside the search).
    /// </summary>
    long[][] TopRows(CandidateBatch batch, int k, IReadOnlyList<IReadOnlySet<long>> excluded);
}
