using Funnel.Ranking.Examples;

namespace Funnel.Ranking.Training;

/// <summary>What a clicked impression weighs in the logistic regression.</summary>
public enum ImpressionWeighting
{
    /// <summary>The paper: clicked impressions weigh their watch seconds, unclicked ones 1, so e^logit ≈ expected watch time.</summary>
    WatchTime,

    /// <summary>Every impression weighs 1: the model predicts click probability (Table 1's last row).</summary>
    Unweighted,

    /// <summary>
    /// Watch time plus what a click earns a session: clicked impressions weigh their watch seconds
    /// plus the training clicks' mean watch seconds (the watch of the next slate a click opens), so
    /// e^logit ≈ E[T] + C · P(click): the paper's objective with a one-step session-continuation value.
    /// </summary>
    WatchTimeAndContinuation,
}

/// <summary>How the ranker is trained.</summary>
/// <param name="Epochs">Passes over the training impressions.</param>
/// <param name="BatchSize">Impressions per step.</param>
/// <param name="LearningRate">Adam's step size.</param>
/// <param name="Weighting">Watch-time weighted (the paper) or unweighted.</param>
/// <param name="Seed">Initialisation and shuffling seed.</param>
/// <param name="CandidateLists">Trained on the candidate model's lists instead of the log's impressions (<see cref="CandidateListOptions.InsteadOfImpressions"/>).</param>
public sealed record RankingTrainingOptions(
    int Epochs = 4,
    int BatchSize = 512,
    double LearningRate = 1e-3,
    ImpressionWeighting Weighting = ImpressionWeighting.WatchTime,
    int Seed = 1,
    bool CandidateLists = false)
{
    /// <summary>The candidate lists this ranker trains (and is evaluated) on: seeded by <see cref="Seed"/>, instead of impressions when <see cref="CandidateLists"/>.</summary>
    public CandidateListOptions Lists => new(Seed: Seed, InsteadOfImpressions: CandidateLists);

    /// <summary>Fails with the offending value when training cannot run.</summary>
    public RankingTrainingOptions Validate()
    {
        if (Epochs < 1 || BatchSize < 1 || !(LearningRate > 0) || !double.IsFinite(LearningRate))
        {
            throw new ArgumentException($"ranking training needs epochs ≥ 1, batch ≥ 1 and a positive learning rate; got {Epochs}, {BatchSize}, {LearningRate}");
        }
        return this;
    }
}
