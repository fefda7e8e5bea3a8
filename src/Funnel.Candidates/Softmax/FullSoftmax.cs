using Funnel.Torch;
using static TorchSharp.torch;

namespace Funnel.Candidates.Softmax;

/// <summary>
/// The exact training task where the corpus is small enough to score whole: cross-entropy of each
/// row's positive against every video of the vocabulary but the reserved row 0. No sampling, so no
/// correction; what sampled softmax estimates, computed.
/// </summary>
public static class FullSoftmax
{
    /// <summary>The largest vocabulary trained with it when the recipe does not say (every batch scores B × V).</summary>
    public const int AutomaticUpToVideos = 50_000;

    /// <summary>
    /// The batch's mean loss. <paramref name="score"/> maps candidate rows [C] to scores [B, C];
    /// <paramref name="labels"/> are the positives' rows (≥ 1) of a <paramref name="videos"/>-row vocabulary.
    /// </summary>
    public static Tensor Loss(Func<Tensor, Tensor> score, ReadOnlySpan<long> labels, int videos)
    {
        using var scope = NewDisposeScope();
        var logits = score(TensorRanges.Of(1, videos));
        var shifted = new long[labels.Length];
        for (var i = 0; i < labels.Length; i++)
        {
            shifted[i] = labels[i] - 1;
        }
        var targets = tensor(shifted);
        return nn.functional.cross_entropy(logits, targets).MoveToOuterDisposeScope();
    }
}
