namespace Funnel.Evaluation.Metrics;

/// <summary>NDCG@K with binary relevance: Σ 1/log2(rank + 1) over hits, over the best possible for min(|truth|, K) items.</summary>
public static class Ndcg
{
    /// <summary>NDCG@K of one ranked list (ranks from 1).</summary>
    public static double At(ReadOnlySpan<int> ranked, IReadOnlySet<int> truth, int k)
    {
        if (truth.Count == 0)
        {
            return 0.0;
        }
        double gain = 0;
        var top = ranked[..Math.Min(k, ranked.Length)];
        for (var i = 0; i < top.Length; i++)
        {
            if (truth.Contains(top[i]))
            {
                gain += 1.0 / Math.Log2(i + 2);
            }
        }
        double ideal = 0;
        for (var i = 0; i < Math.Min(truth.Count, k); i++)
        {
            ideal += 1.0 / Math.Log2(i + 2);
        }
        return gain / ideal;
    }
}
