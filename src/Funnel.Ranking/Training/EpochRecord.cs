namespace Funnel.Ranking.Training;

/// <summary>One training epoch of the ranker.</summary>
/// <param name="Epoch">1-based.</param>
/// <param name="Loss">Mean weighted logistic loss over the epoch (weights scaled to mean 1).</param>
/// <param name="ExamplesPerSecond">Training throughput.</param>
/// <param name="Seconds">Wall time of the epoch.</param>
public sealed record RankingEpochRecord(int Epoch, double Loss, double ExamplesPerSecond, double Seconds);
