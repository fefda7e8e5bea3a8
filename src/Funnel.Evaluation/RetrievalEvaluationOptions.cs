namespace Funnel.Evaluation;

/// <summary>How retrieval is evaluated.</summary>
/// <param name="Ks">Cut-offs reported.</param>
/// <param name="ExcludeSeen">Mask videos the user watched before the query time (they are not ground truth either).</param>
/// <param name="MaxQueries">Evaluate a seeded random subset of at most this many queries; 0 for all.</param>
/// <param name="BatchSize">Queries scored together.</param>
/// <param name="Seed">Seeds the subset.</param>
public sealed record RetrievalEvaluationOptions(IReadOnlyList<int>? Ks = null, bool ExcludeSeen = true, int MaxQueries = 0, int BatchSize = 256, int Seed = 1)
{
    /// <summary>The paper-style cut-offs.</summary>
    public static readonly IReadOnlyList<int> DefaultKs = [10, 50, 100, 200];

    /// <summary>The cut-offs actually used.</summary>
    public IReadOnlyList<int> Cutoffs => Ks ?? DefaultKs;
}
