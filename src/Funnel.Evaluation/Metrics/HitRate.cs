namespace Funnel.Evaluation.Metrics;

/// <summary>HR@K: 1 when any ground-truth item is in the top K, else 0.</summary>
public static class HitRate
{
    /// <summary>HR@K of one ranked list.</summary>
    public static double At(ReadOnlySpan<int> ranked, IReadOnlySet<int> truth, int k)
    {
        foreach (var item in ranked[..Math.Min(k, ranked.Length)])
        {
            if (truth.Contains(item))
            {
                return 1.0;
            }
        }
        return 0.0;
    }
}
