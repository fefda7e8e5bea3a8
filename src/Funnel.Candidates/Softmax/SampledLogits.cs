using static TorchSharp.torch;

namespace Funnel.Candidates.Softmax;

/// <summary>
/// The logits of one sampled-softmax batch. With in-batch negatives the columns are the batch's
/// positives, then the shared sampled negatives, and row i's positive is column i; without them,
/// column 0 is each row's positive and the samples follow. Accidental hits are −∞.
/// </summary>
/// <param name="Logits">Corrected, masked logits [B, B + K], or [B, 1 + K] without in-batch negatives.</param>
/// <param name="Columns">Video row of every column that is not the per-row positive column: with in-batch negatives, every column.</param>
/// <param name="Targets">The column of each row's positive. [B] int64</param>
public sealed record SampledLogits(Tensor Logits, long[] Columns, Tensor Targets) : IDisposable
{
    /// <summary>Cross-entropy with each row's positive at its target column, averaged over the batch.</summary>
    public Tensor Loss() => nn.functional.cross_entropy(Logits, Targets);

    /// <inheritdoc />
    public void Dispose()
    {
        Logits.Dispose();
        Targets.Dispose();
    }
}
