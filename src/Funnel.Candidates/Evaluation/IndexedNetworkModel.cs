using Funnel.Candidates.Batching;
using Funnel.Candidates.Model;
using Funnel.Data.Examples;
using Funnel.Evaluation;
using Funnel.Retrieval;
using Funnel.Retrieval.Filtering;
using static TorchSharp.torch;

namespace Funnel.Candidates.Evaluation;

/// <summary>The candidate network served as in production: user vectors from the tower, candidates from an index.</summary>
public sealed class IndexedNetworkModel(CandidateNetwork network, IVectorIndex index, string name) : IIndexedRetrievalModel
{
    /// <inheritdoc />
    public string Name => name;

    /// <inheritdoc />
    public long[][] TopRows(CandidateBatch batch, int k, IReadOnlyList<IReadOnlySet<long>> excluded)
    {
        float[] users;
        network.eval();
        using (var scope = NewDisposeScope())
        using (no_grad())
        using (var tensors = CandidateBatchTensors.From(batch))
        {
            users = network.forward(tensors).contiguous().data<float>().ToArray();
        }
        var found = index.SearchBatch(users, k, query => new ExcludedKeys(excluded[query]));
        return [.. found.Select(neighbours => neighbours.Select(n => n.Key).ToArray())];
    }
}
