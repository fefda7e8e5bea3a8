namespace Funnel.Ranking.Features;

/// <summary>A video as the ranking counters see it.</summary>
/// <param name="Channel">Dense channel index.</param>
/// <param name="Topics">Dense topic indices.</param>
public sealed record VideoFacts(int Channel, int[] Topics);

/// <summary>What the user's state held when an impression was shown.</summary>
/// <param name="Counters">The candidate's counters.</param>
/// <param name="RecentWatches">The last watched videos, oldest first (shared between impressions seeing the same state).</param>
/// <param name="RecentSearches">The last search queries, oldest first (shared likewise).</param>
public sealed record ReplayedImpression(ImpressionCounters Counters, int[] RecentWatches, string[] RecentSearches);

/// <summary>
/// Replays one user's log through a <see cref="UserActivity"/>, giving each impression the state of
/// strictly earlier events: all watches, searches and impressions before an impression's second are
/// applied first, those of the same second after it (an impression cannot know what happened at
/// the moment it was shown). Events of the same second keep their log order.
/// </summary>
public static class ActivityReplay
{
    /// <summary>The state seen by each impression, in the order given.</summary>
    /// <param name="watches">The user's watches as (video, time).</param>
    /// <param name="searches">The user's searches as (query, time).</param>
    /// <param name="impressions">The user's impressions as (video, time).</param>
    /// <param name="videos">Channel and topics of each video index.</param>
    public static ReplayedImpression[] Replay(IReadOnlyList<(int Video, long Time)> watches, IReadOnlyList<(string Query, long Time)> searches, IReadOnlyList<(int Video, long Time)> impressions, IReadOnlyList<VideoFacts> videos)
    {
        var watchOrder = Enumerable.Range(0, watches.Count).OrderBy(i => watches[i].Time).ToArray();
        var searchOrder = Enumerable.Range(0, searches.Count).OrderBy(i => searches[i].Time).ToArray();
        var impressionOrder = Enumerable.Range(0, impressions.Count).OrderBy(i => impressions[i].Time).ToArray();
        var activity = new UserActivity();
        var replayed = new ReplayedImpression[impressions.Count];
        var (nextWatch, nextSearch, nextApplied) = (0, 0, 0);
        var snapshotVersion = -1L;
        int[] recentWatches = [];
        string[] recentSearches = [];
        for (var i = 0; i < impressionOrder.Length; i++)
        {
            var (video, time) = impressions[impressionOrder[i]];
            for (; nextWatch < watchOrder.Length && watches[watchOrder[nextWatch]].Time < time; nextWatch++)
            {
                var watch = watches[watchOrder[nextWatch]];
                var watched = videos[watch.Video];
                activity.RecordWatch(watch.Video, watched.Channel, watched.Topics, watch.Time);
            }
            for (; nextSearch < searchOrder.Length && searches[searchOrder[nextSearch]].Time < time; nextSearch++)
            {
                activity.RecordSearch(searches[searchOrder[nextSearch]].Query);
            }
            for (; impressions[impressionOrder[nextApplied]].Time < time; nextApplied++)
            {
                var shown = impressions[impressionOrder[nextApplied]].Video;
                activity.RecordImpression(shown, videos[shown].Channel);
            }
            if (snapshotVersion != activity.Version)
            {
                // Impressions of one page see the same state: one copy of the lists serves them all.
                recentWatches = [.. activity.RecentWatches];
                recentSearches = [.. activity.RecentSearches];
                snapshotVersion = activity.Version;
            }
            var facts = videos[video];
            replayed[impressionOrder[i]] = new ReplayedImpression(activity.CountersFor(video, facts.Channel, facts.Topics, time), recentWatches, recentSearches);
        }
        return replayed;
    }
}
