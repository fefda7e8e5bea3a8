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

        using var scope = NewDisposeScope();
        long[] columns;
        Tensor logits;
        Tensor targets;
        if (Options.InBatchNegatives)
        {
            // One product for every column (the batch's positives, then the samples): row i's
            // positive is column i, so no positive column is gathered and concatenated.
            columns = [.. labels, .. sampled];
            logits = score(tensor(columns));
            if (Options.CorrectLogQ)
            {
                logits = logits - tensor(correction.LogExpectedCounts(columns, batchSize, Options.Negatives, inBatch: true)).unsqueeze(0);
            }
            targets = TensorRanges.Of(0, batchSize);
        }
        else
        {
            columns = sampled;
            var positive = score(tensor(labels.ToArray())).diagonal().unsqueeze(1);
            if (Options.CorrectLogQ)
            {
                positive = positive - tensor(correction.LogExpectedCounts(labels, batchSize, Options.Negatives, inBatch: false)).unsqueeze(1);
            }
            var blocks = new List<Tensor> { positive };
            if (Options.Negatives > 0)
            {
                var negatives = score(tensor(sampled));
                blocks.Add(Options.CorrectLogQ ? negatives - tensor(correction.LogExpectedCounts(sampled, batchSize, Options.Negatives, inBatch: false)).unsqueeze(0) : negatives);
            }
            logits = cat(blocks, dim: 1);
            targets = zeros(batchSize, dtype: ScalarType.Int64);
        }
        if (Options.MaskAccidentalHits)
        {
            logits = MaskAccidentalHits(logits, labels, columns, firstColumn: Options.InBatchNegatives ? 0 : 1);
        }
        return new SampledLogits(logits.MoveToOuterDisposeScope(), columns, targets.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// Sets to −∞ every negative column that is the row's own positive video (a duplicate label in
    /// the batch, or a sample equal to it). The hits are found on the ids, a few per batch, and only
    /// those cells are written: comparing every row with every column would be two more passes over
    /// the logits forward and one backward.
    /// </summary>
    private static Tensor MaskAccidentalHits(Tensor logits, ReadOnlySpan<long> labels, long[] columns, int firstColumn)
    {
        var rowsOfLabel = new Dictionary<long, List<long>>();
        for (var i = 0; i < labels.Length; i++)
        {
            if (!rowsOfLabel.TryGetValue(labels[i], out var rows))
            {
                rowsOfLabel[labels[i]] = rows = [];
            }
            rows.Add(i);
        }
        var hitRows = new List<long>();
        var hitColumns = new List<long>();
        for (var j = 0; j < columns.Length; j++)
        {
            if (!rowsOfLabel.TryGetValue(columns[j], out var rows))
            {
                continue;
            }
            var column = firstColumn + j;
            foreach (var row in rows.Where(row => firstColumn != 0 || row != j))
            {
                hitRows.Add(row);
                hitColumns.Add(column);
            }
        }
        return hitRows.Count == 0
            ? logits
            : logits.index_put_(tensor(float.NegativeInfinity), tensor(hitRows.ToArray()), tensor(hitColumns.ToArray()));
    }
}
