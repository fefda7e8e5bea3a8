using Funnel.Ranking.Features;

namespace Funnel.Ranking.Examples;

/// <summary>One logged impression with what the ranker learns from: its label, weight and the user's state before it.</summary>
/// <param name="User">Dense user index.</param>
/// <param name="Video">Dense video index of the impression.</param>
/// <param name="Page">The page it was shown on (pairs for the weighted per-user loss).</param>
/// <param name="Time">When it was shown (Unix seconds).</param>
/// <param name="Clicked">The label.</param>
/// <param name="WatchSeconds">Watch time after a click: the positive's weight in weighted logistic regression (NaN when the source has none).</param>
/// <param name="State">The user's state from strictly earlier events: counters, last watches and searches.</param>
/// <param name="Nomination">The candidate generator's score and rank for this video, when a candidate model was given.</param>
/// <param name="Signals">The other sources' scores of it as of its time, when the ranker uses them.</param>
public readonly record struct RankingExample(int User, int Video, long Page, long Time, bool Clicked, float WatchSeconds, ReplayedImpression State, CandidateNomination Nomination, SourceSignals Signals);
