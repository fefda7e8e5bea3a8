namespace Funnel.Candidates.Softmax;

/// <summary>How the full softmax over the corpus is estimated during training.</summary>
/// <param name="Negatives">Negatives drawn per batch, shared by its rows (paper: thousands).</param>
/// <param name="InBatchNegatives">Also use the batch's other positives as negatives.</param>
/// <param name="CorrectLogQ">Subtract each candidate's log expected count from its logit (importance weighting).</param>
/// <param name="MaskAccidentalHits">Remove candidates equal to the row's own positive.</param>
public sealed record SampledSoftmaxOptions(int Negatives = 4096, bool InBatchNegatives = true, bool CorrectLogQ = true, bool MaskAccidentalHits = true)
{
    /// <summary>Fails with the offending value.</summary>
    public SampledSoftmaxOptions Validate() =>
        Negatives >= 0 && (Negatives > 0 || InBatchNegatives)
            ? this
            : throw new ArgumentException($"need sampled negatives ≥ 0 and some source of negatives; got {Negatives} negatives, in-batch {InBatchNegatives}");
}
