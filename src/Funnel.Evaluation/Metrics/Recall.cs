namespace Funnel.Evaluation.Metrics;

/// <summary>Recall@K: ground-truth items in the top K over all ground-truth items.</summary>
public static class Recall
{
    /// <summary>Recall@K of one ranked list; 0 when there is no ground truth.</summary>
    public static double At(ReadOnlySpan<int> ranked, IReadOnlySet<int> truth, int k)
    {
        if (truth.Count == 0)
        {
            return 0.0;
        }
        var hits = 0;
        foreach (var item in ranked[..Math.Min(k, ranked.Length)])
        {
            if (truth.Contains(item))
            {
                hits++;
            }
        }
        return (double)hits / truth.Count;
    }
}
