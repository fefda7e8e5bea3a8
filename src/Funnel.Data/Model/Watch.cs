namespace Funnel.Data.Model;

/// <summary>One watch of a video by a user, from any surface (not only recommendations).</summary>
/// <param name="User">Dense user index.</param>
/// <param name="Video">Dense video index.</param>
/// <param name="Time">Start time in Unix seconds.</param>
/// <param name="WatchSeconds">Seconds watched; NaN when the source does not record it.</param>
/// <param name="Completion">
/// Fraction of the video watched, in [0, 1]; NaN when unknown. Sources without durations record a
/// documented proxy here (MovieLens: rating / 5; EB-NeRD: scroll percentage / 100).
/// </param>
public readonly record struct Watch(int User, int Video, long Time, float WatchSeconds, float Completion);
