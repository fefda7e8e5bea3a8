namespace Funnel.Ranking.Features;

/// <summary>A video as the ranking counters see it.</summary>
/// <param name="Channel">Dense channel index.</param>
/// <param name="Topics">Dense topic indices.</param>
public sealed record VideoFacts(int Channel, int[] Topics);

/// <summary>
/// Computes the counters of every impression of one user from the log, using strictly earlier
/// events only: all watches and impressions before an impression's second are applied to a
/// <see cref="UserActivity"/> first, those of the same second after it (an impression cannot know
/// what happened at the moment it was shown).
/// </summary>
public static class ActivityReplay
{
    /// <summary>Counters for each impression, in the order given.</summary>
    /// <param name="watches">The user's watches as (video, time).</param>
    /// <param name="impressions">The user's impressions as (video, time).</param>
    /// <param name="videos">Channel and topics of each video index.</param>
    public static ImpressionCounters[] Replay(IReadOnlyList<(int Video, long Time)> watches, IReadOnlyList<(int Video, long Time)> impressions, IReadOnlyList<VideoFacts> videos)
    {
        var watchOrder = Enumerable.Range(0, watches.Count).OrderBy(i => watches[i].Time).ToArray();
        var impressionOrder = Enumerable.Range(0, impressions.Count).OrderBy(i => impressions[i].Time).ToArray();
        var activity = new UserActivity();
        var counters = new ImpressionCounters[impressions.Count];
        var nextWatch = 0;
        var nextApplied = 0;
        for (var i = 0; i < impressionOrder.Length; i++)
        {
            var (video, time) = impressions[impressionOrder[i]];
            while (nextWatch < watchOrder.Length && watches[watchOrder[nextWatch]].Time < time)
            {
                var watched = videos[watches[watchOrder[nextWatch++]].Video];
                activity.RecordWatch(watched.Channel, watched.Topics, watches[watchOrder[nextWatch - 1]].Time);
            }
            while (impressions[impressionOrder[nextApplied]].Time < time)
            {
                var shown = impressions[impressionOrder[nextApplied++]].Video;
                activity.RecordImpression(shown, videos[shown].Channel);
            }
            var facts = videos[video];
            counters[impressionOrder[i]] = activity.CountersFor(video, facts.Channel, facts.Topics, time);
        }
        return counters;
    }
}
