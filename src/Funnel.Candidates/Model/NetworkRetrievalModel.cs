using Funnel.Candidates.Batching;
using Funnel.Data.Examples;
using Funnel.Evaluation;
using Funnel.Torch;
using static TorchSharp.torch;

namespace Funnel.Candidates.Model;

/// <summary>The candidate network as a retrieval model: u·v (or tempered cosine) against every video row.</summary>
public sealed class NetworkRetrievalModel(CandidateNetwork network, string name = "funnel") : IRetrievalModel
{
    /// <inheritdoc />
    public string Name => name;

    /// <inheritdoc />
    public Tensor Score(CandidateBatch batch)
    {
        network.eval();
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        using var tensors = CandidateBatchTensors.From(batch);
        var users = network.forward(tensors);
        var scores = network.Score(users, TensorRanges.Of(0, network.Options.Videos));
        return scores.MoveToOuterDisposeScope();
    }
}
