namespace Funnel.Data.Synthetic;

/// <summary>
/// The hidden user–video affinity that drives completion and clicks in the synthetic world, and that
/// a simulated user reacting to recommendations must use the same way.
/// </summary>
public static class AffinityModel
{
    /// <summary>Affinity in [0, 1]: mostly topic interest, then quality, then language match.</summary>
    /// <param name="topicInterest">The user's interest in the video's topic relative to their top topic, in [0, 1].</param>
    /// <param name="quality">The video's hidden quality, in (0, 1).</param>
    /// <param name="sameLanguage">Whether the video is in the user's language.</param>
    public static double Affinity(double topicInterest, double quality, bool sameLanguage) =>
        (0.6 * topicInterest) + (0.25 * quality) + (sameLanguage ? 0.15 : 0.0);

    /// <summary>Expected completion of a watch before noise: clickbait disappoints.</summary>
    public static double CompletionLogit(double affinity) => 5.0 * (affinity - 0.45);

    /// <summary>How much of a clickbait video is watched, relative to an honest one.</summary>
    public const double ClickbaitCompletionFactor = 0.3;

    /// <summary>Click appeal before position bias: clickbait adds appeal it does not deliver.</summary>
    public static double ClickProbability(double affinity, bool clickbait, int position) =>
        Sampling.Sigmoid(4.0 * (affinity + (clickbait ? 0.35 : 0.0) - 0.65)) * PositionBias(position);

    /// <summary>Seconds watched of a video (at least 1): completion from affinity with noise, cut for clickbait.</summary>
    public static float WatchSeconds(double affinity, bool clickbait, float durationSeconds, Random random)
    {
        var completion = Sampling.Sigmoid(CompletionLogit(affinity) + (0.6 * Sampling.Normal(random)));
        if (clickbait)
        {
            completion *= ClickbaitCompletionFactor;
        }
        return (float)Math.Max(1.0, Math.Round(Math.Clamp(completion, 0.0, 1.0) * durationSeconds));
    }

    /// <summary>Examination probability of a 0-based slate position.</summary>
    public static double PositionBias(int position) => 1.0 / Math.Pow(1 + position, 0.8);
}
