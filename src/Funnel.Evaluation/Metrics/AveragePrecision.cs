namespace Funnel.Evaluation.Metrics;

/// <summary>AP@K (MAP@K averaged over queries): Σ precision@rank over hit ranks, over min(|truth|, K).</summary>
public static class AveragePrecision
{
    /// <summary>AP@K of one ranked list.</summary>
    public static double At(ReadOnlySpan<int> ranked, IReadOnlySet<int> truth, int k)
    {
        if (truth.Count == 0)
        {
            return 0.0;
        }
        var hits = 0;
        double sum = 0;
        var top = ranked[..Math.Min(k, ranked.Length)];
        for (var i = 0; i < top.Length; i++)
        {
            if (truth.Contains(top[i]))
            {
                hits++;
                sum += (double)hits / (i + 1);
            }
        }
        return sum / Math.Min(truth.Count, k);
    }
}
