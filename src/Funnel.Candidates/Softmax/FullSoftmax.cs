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
    /// Most bytes of logits scored at once. A batch's [B, V] logits are scored in row chunks of at
    /// most this size: glibc serves buffers below its 32 MB mmap ceiling (see NativeAllocator) from
    /// the reused heap, while a larger one is mapped and page-faulted afresh every step (9% of the
    /// attention encoder's step at 5,120 examples × 1,681 videos).
    /// </summary>
    public const long ChunkBytes = 16L << 20;

    /// <summary>
    /// The batch's mean loss. <paramref name="users"/> [B, D] are scored against
    /// <paramref name="candidates"/> [V − 1, D], the vectors of rows 1 … V − 1 as the dot product
    /// reads them; <paramref name="labels"/> are the positives' rows (≥ 1).
    /// </summary>
    public static Tensor Loss(Tensor users, Tensor candidates, ReadOnlySpan<long> labels)
    {
        using var scope = NewDisposeScope();
        var shifted = new long[labels.Length];
        for (var i = 0; i < labels.Length; i++)
        {
            shifted[i] = labels[i] - 1;
        }
        var targets = tensor(shifted);
        var transposed = candidates.t();
        var rows = users.shape[0];
        var chunk = Math.Max(1, ChunkBytes / (sizeof(float) * Math.Max(1, candidates.shape[0])));
        if (rows <= chunk)
        {
            return nn.functional.cross_entropy(matmul(users, transposed), targets).MoveToOuterDisposeScope();
        }
        Tensor? total = null;
        for (long start = 0; start < rows; start += chunk)
        {
            var count = Math.Min(chunk, rows - start);
            var part = nn.functional.cross_entropy(matmul(users.narrow(0, start, count), transposed), targets.narrow(0, start, count), reduction: nn.Reduction.Sum);
            total = total is null ? part : total.add(part);
        }
        return total!.div(rows).MoveToOuterDisposeScope();
    }
}
