using Funnel.Torch;
using static TorchSharp.torch;

namespace Funnel.Candidates.Softmax;

/// <summary>
/// The training task of candidate generation: extreme multiclass classification over the video
/// vocabulary, estimated with the batch's positives plus shared sampled negatives, logQ-corrected
/// and with accidental hits removed. Owns the loss; the network only scores.
/// </summary>
public sealed class SampledSoftmax
{
    private readonly NegativeSampler sampler;
    private readonly LogQCorrection correction;

    /// <summary>Creates the task.</summary>
    /// <param name="options">Negatives, in-batch, correction and masking switches.</param>
    /// <param name="sampler">Draws the shared negatives.</param>
    /// <param name="labelDistribution">How often each video is a positive in the training data (for in-batch correction).</param>
    public SampledSoftmax(SampledSoftmaxOptions options, NegativeSampler sampler, NegativeSampler labelDistribution)
    {
        Options = options.Validate();
        this.sampler = sampler;
        correction = new LogQCorrection(sampler, labelDistribution);
    }

    /// <summary>The switches in force.</summary>
    public SampledSoftmaxOptions Options { get; }

    /// <summary>
    /// Logits of a batch. <paramref name="score"/> maps candidate rows [C] to scores [B, C] of
    /// the batch's users; <paramref name="labels"/> are the rows of the batch's positives.
    /// </summary>
    public SampledLogits Compute(Func<Tensor, Tensor> score, ReadOnlySpan<long> labels, Random random)
    {
        var batchSize = labels.Length;
        var sampled = new long[Options.Negatives];
        sampler.Sample(random, sampled);
        var columns = Options.InBatchNegatives ? [.. labels, .. sampled] : sampled;

        using var scope = NewDisposeScope();
        var labelRows = tensor(labels.ToArray());
        var inBatch = score(labelRows);
        var positive = inBatch.diagonal().unsqueeze(1);
        var blocks = new List<Tensor>();
        var positiveCorrection = correction.LogExpectedCounts(labels, batchSize, Options.Negatives, Options.InBatchNegatives);
        blocks.Add(Options.CorrectLogQ ? positive - tensor(positiveCorrection).unsqueeze(1) : positive);
        if (Options.InBatchNegatives)
        {
            blocks.Add(Prepare(inBatch, labelRows, labels, labelRows, batchSize));
        }
        if (Options.Negatives > 0)
        {
            var sampledRows = tensor(sampled);
            blocks.Add(Prepare(score(sampledRows), labelRows, sampled, sampledRows, batchSize));
        }
        var logits = cat(blocks, dim: 1);
        return new SampledLogits(logits.MoveToOuterDisposeScope(), columns);
    }

    /// <summary>Corrects a block of negative logits [B, C] and masks each row's own positive among them.</summary>
    private Tensor Prepare(Tensor logits, Tensor labelRows, ReadOnlySpan<long> candidates, Tensor candidateRows, int batchSize)
    {
        if (Options.CorrectLogQ)
        {
            logits = logits - tensor(correction.LogExpectedCounts(candidates, batchSize, Options.Negatives, Options.InBatchNegatives)).unsqueeze(0);
        }
        if (Options.MaskAccidentalHits)
        {
            // A candidate equal to the row's positive is not a negative: in the in-batch block this
            // removes the row's own column and every duplicate of its label.
            logits = logits.masked_fill(labelRows.unsqueeze(1).eq(candidateRows.unsqueeze(0)), RootedScalars.NegativeInfinity);
        }
        else if (ReferenceEquals(labelRows, candidateRows))
        {
            // Without masking, the row's own column still must not count twice.
            logits = logits.masked_fill(eye(batchSize, dtype: ScalarType.Bool), RootedScalars.NegativeInfinity);
        }
        return logits;
    }
}
