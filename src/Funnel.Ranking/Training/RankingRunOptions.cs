using Funnel.Ranking.Features;
using Funnel.Ranking.Model;

namespace Funnel.Ranking.Training;

/// <summary>Everything <c>funnel train ranking</c> decides.</summary>
/// <param name="Training">Epochs, batch, step size, weighting and seed.</param>
/// <param name="Tower">ReLU layer widths (default the paper's 1024→512→256).</param>
/// <param name="Powers">Feed x̃² and √x̃ alongside x̃.</param>
/// <param name="HoldoutFraction">Share of the log's time span held out for testing.</param>
/// <param name="Limits">How many IDs each ID space keeps.</param>
/// <param name="Quantiles">Quantile boundaries per continuous feature, minus one.</param>
/// <param name="CandidateFeatures">Use the candidate model's score and rank when the model folder has one.</param>
/// <param name="SourceFeatures">Use the co-visits and regional sources' scores of each impression; null: where the ranker learns from candidate lists (they raised MovieLens' final slate on three seeds), not on logged impressions (they cost watch time online in a synthetic world; docs/results.md).</param>
public sealed record RankingRunOptions(
    RankingTrainingOptions Training,
    IReadOnlyList<int>? Tower = null,
    bool Powers = true,
    double HoldoutFraction = 0.1,
    VocabularyLimits? Limits = null,
    int Quantiles = 1000,
    bool CandidateFeatures = true,
    bool? SourceFeatures = null)
{
    /// <summary>The tower actually used.</summary>
    public IReadOnlyList<int> EffectiveTower => Tower ?? RankingNetworkOptions.PaperTower;

    /// <summary>The ID limits actually used.</summary>
    public VocabularyLimits EffectiveLimits => Limits ?? new VocabularyLimits();
}
