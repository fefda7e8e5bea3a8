namespace Funnel.Data.Synthetic;

/// <summary>How far a world's generation has got.</summary>
/// <param name="UsersDone">Users simulated and written.</param>
/// <param name="Users">Users in all.</param>
/// <param name="Events">Watches, searches and impressions written so far.</param>
/// <param name="Elapsed">Time since the start.</param>
public sealed record WorldProgress(int UsersDone, int Users, long Events, TimeSpan Elapsed);
