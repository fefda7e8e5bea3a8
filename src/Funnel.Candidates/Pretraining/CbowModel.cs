using Funnel.Torch;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Funnel.Candidates.Pretraining;

/// <summary>
/// Word2vec's continuous bag of words with negative sampling (Mikolov et al. 2013): the mean of a
/// context's embeddings should score its target above sampled negatives. Context and target tables
/// are separate, as the candidate network's watch bag and output table are.
/// </summary>
/// <remarks>Shapes: B targets, K shared negatives, D dimension.</remarks>
public sealed class CbowModel : Module<Tensor, Tensor, Tensor, Tensor, Tensor>
{
    private readonly EmbeddingBag contexts;
    private readonly Embedding targets;

    /// <summary>Tables of <paramref name="rows"/> × <paramref name="dimension"/>; row 0 stays unused.</summary>
    /// <remarks>Initialised from its own generator: the global one's state depends on what ran before.</remarks>
    public CbowModel(int rows, int dimension, int seed)
        : base(nameof(CbowModel))
    {
        contexts = EmbeddingBag(rows, dimension, mode: EmbeddingBagMode.Mean, sparse: true);
        targets = Embedding(rows, dimension, sparse: true);
        using (no_grad())
        using (var generator = new Generator((ulong)seed))
        {
            // word2vec's initialisation: small random contexts, zero targets.
            contexts.weight!.uniform_(-0.5 / dimension, 0.5 / dimension, generator);
            targets.weight!.zero_();
        }
        RegisterComponents();
    }

    /// <summary>The context table [rows, D]: initialises the network's bags.</summary>
    public Parameter ContextTable => contexts.weight!;

    /// <summary>The target table [rows, D]: initialises the network's output video vectors.</summary>
    public Parameter TargetTable => targets.weight!;

    /// <summary>Mean negative-sampling loss of B (context bag, target) pairs against K shared negatives.</summary>
    public override Tensor forward(Tensor contextRows, Tensor contextOffsets, Tensor targetRows, Tensor negativeRows)
    {
        using var scope = NewDisposeScope();
        var context = contexts.forward(contextRows, contextOffsets, null);
        var positive = functional.logsigmoid((context * targets.forward(targetRows)).sum(1));
        var negative = functional.logsigmoid(matmul(context, targets.forward(negativeRows).t()).neg()).sum(1);
        return positive.add(negative, RootedScalars.One).mean().neg().MoveToOuterDisposeScope();
    }
}
