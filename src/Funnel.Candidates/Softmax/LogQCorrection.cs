namespace Funnel.Candidates.Softmax;

/// <summary>
/// Importance weighting of sampled candidates: a candidate's logit minus the log of how often it is
/// expected in the candidate set, B·p_data(v) (as one of the batch's positives) + K·q(v) (as a
/// sampled negative), makes the sampled softmax's gradient estimate the full softmax's instead of
/// over-penalising popular videos (Bengio and Senécal 2008; Yi et al. 2019).
/// </summary>
public sealed class LogQCorrection(NegativeSampler sampler, NegativeSampler labelDistribution)
{
    /// <summary>log(B·p_data(row) + K·q(row)) per row; the B term only with in-batch negatives.</summary>
    public float[] LogExpectedCounts(ReadOnlySpan<long> rows, int batchSize, int negatives, bool inBatch)
    {
        var result = new float[rows.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            var expected = (negatives * sampler.Probability(rows[i])) + (inBatch ? batchSize * labelDistribution.Probability(rows[i]) : 0.0);
            // A positive the sampler can never draw still appeared once: never log(0).
            result[i] = (float)Math.Log(Math.Max(expected, 1e-12));
        }
        return result;
    }
}
