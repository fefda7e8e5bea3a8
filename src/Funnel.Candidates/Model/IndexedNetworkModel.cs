using Funnel.Data.Examples;
using Funnel.Evaluation;
using Funnel.Retrieval;
using Funnel.Retrieval.Filtering;

namespace Funnel.Candidates.Model;

/// <summary>The candidate network served as in production: user vectors from the tower, candidates from an index.</summary>
public sealed class IndexedNetworkModel(CandidateNetwork network, IVectorIndex index, string name) : IIndexedRetrievalModel
{
    /// <inheritdoc />
    public string Name => name;

    /// <inheritdoc />
    public long[][] TopRows(CandidateBatch batch, int k, IReadOnlyList<IReadOnlySet<long>> excluded)
    {
        var found = index.SearchBatch(network.UserVectors(batch), k, query => new ExcludedKeys(excluded[query]));
        return [.. found.Select(neighbours => neighbours.Select(n => n.Key).ToArray())];
    }
}
