namespace Funnel.Evaluation.Ranking;

/// <summary>A held-out impression with the model's score, as the ranking metrics read it.</summary>
/// <param name="User">Who saw it.</param>
/// <param name="Page">The page (request) it was shown on: pairs are formed within one user's page.</param>
/// <param name="Score">The model's score (any monotone transform of expected watch time).</param>
/// <param name="Clicked">Whether it was clicked (a positive).</param>
/// <param name="WatchSeconds">Watch time of a clicked impression (its weight).</param>
public readonly record struct ScoredImpression(long User, long Page, float Score, bool Clicked, double WatchSeconds);
