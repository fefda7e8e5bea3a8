using static TorchSharp.torch;

namespace Funnel.Candidates.Softmax;

/// <summary>
/// The logits of one sampled-softmax batch. Column 0 of row i is its positive; then the batch's
/// positives (in-batch negatives, row i's own masked), then the shared sampled negatives.
/// </summary>
/// <param name="Logits">Corrected, masked logits [B, 1 + B + K] (in-batch block absent when disabled).</param>
/// <param name="Columns">Video row of every column after the first: the batch's labels, then the samples.</param>
public sealed record SampledLogits(Tensor Logits, long[] Columns) : IDisposable
{
    /// <summary>Cross-entropy with the positive in column 0, averaged over the batch.</summary>
    public Tensor Loss()
    {
        using var targets = zeros(Logits.shape[0], dtype: ScalarType.Int64, device: Logits.device);
        return nn.functional.cross_entropy(Logits, targets);
    }

    /// <inheritdoc />
    public void Dispose() => Logits.Dispose();
}
