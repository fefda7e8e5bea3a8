using Funnel.Ranking.Features;

namespace Funnel.Ranking.Examples;

/// <summary>One logged impression with what the ranker learns from: its label, weight and counters.</summary>
/// <param name="User">Dense user index.</param>
/// <param name="Video">Dense video index of the impression.</param>
/// <param name="Page">The page it was shown on (pairs for the weighted per-user loss).</param>
/// <param name="Time">When it was shown (Unix seconds).</param>
/// <param name="Clicked">The label.</param>
/// <param name="WatchSeconds">Watch time after a click: the positive's weight in weighted logistic regression.</param>
/// <param name="Counters">The user's counters for this video from strictly earlier events.</param>
public readonly record struct RankingExample(int User, int Video, long Page, long Time, bool Clicked, float WatchSeconds, ImpressionCounters Counters);
