namespace Funnel.Data.Examples;

/// <summary>How training examples are made from watch logs (the paper's section 3.4 choices).</summary>
/// <param name="MaxWatchHistory">Most recent watches in the history bag (paper: 50).</param>
/// <param name="MaxSearchHistory">Most recent searches whose tokens form the search bag (paper: 50).</param>
/// <param name="CompletionThreshold">A watch is a positive when its completion is at least this.</param>
/// <param name="UnknownCompletionIsPositive">
/// For sources that record no completion (NaN), count every watch as a positive (the documented
/// proxy: the watch happened); otherwise such watches are never labels.
/// </param>
/// <param name="MaxExamplesPerUser">Labels kept per user, sampled reproducibly, so heavy users do not dominate.</param>
/// <param name="VideoVocabularySize">Most frequent videos that get an embedding; the rest are out of vocabulary.</param>
/// <param name="TokenVocabularySize">Most frequent search tokens (unigrams and bigrams) that get an embedding.</param>
/// <param name="Seed">Seeds the per-user sampling.</param>
/// <param name="LabelThreshold">
/// Training labels are watches with at least this completion; null: the completion threshold, as
/// evaluation uses. Below it, watches that are not completed also teach "what comes next" while the
/// validation and test queries stay the completed ones.
/// </param>
public sealed record ExampleOptions(
    int MaxWatchHistory = 50,
    int MaxSearchHistory = 50,
    float CompletionThreshold = 0.8f,
    bool UnknownCompletionIsPositive = true,
    int MaxExamplesPerUser = 200,
    int VideoVocabularySize = 1_000_000,
    int TokenVocabularySize = 200_000,
    int Seed = 1,
    float? LabelThreshold = null)
{
    /// <summary>Fails with the offending values when the options make no sense.</summary>
    public ExampleOptions Validate()
    {
        if (MaxWatchHistory < 0 || MaxSearchHistory < 0)
        {
            throw new ArgumentException($"history lengths must be ≥ 0; got watches {MaxWatchHistory}, searches {MaxSearchHistory}");
        }
        if (!(CompletionThreshold is >= 0f and <= 1f) || LabelThreshold is < 0f or > 1f)
        {
            throw new ArgumentException($"completion thresholds must be in [0, 1]; got {CompletionThreshold} (--completed) and {LabelThreshold?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"} (--label-threshold)");
        }
        if (MaxExamplesPerUser < 1 || VideoVocabularySize < 1 || TokenVocabularySize < 1)
        {
            throw new ArgumentException($"examples per user and vocabulary sizes must be ≥ 1; got {MaxExamplesPerUser}, {VideoVocabularySize}, {TokenVocabularySize}");
        }
        return this;
    }

    /// <summary>Whether a watch counts as a positive (a completed watch).</summary>
    public bool IsPositive(float completion) =>
        float.IsNaN(completion) ? UnknownCompletionIsPositive : completion >= CompletionThreshold;

    /// <summary>Whether a watch is a training label (<see cref="LabelThreshold"/>, else a completed watch).</summary>
    public bool IsLabel(float completion) =>
        float.IsNaN(completion) ? UnknownCompletionIsPositive : completion >= (LabelThreshold ?? CompletionThreshold);
}
