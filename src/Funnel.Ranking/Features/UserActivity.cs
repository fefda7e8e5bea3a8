namespace Funnel.Ranking.Features;

/// <summary>
/// One user's live state for the ranking features: the last watched videos and searches, last watch
/// time per channel and per topic, and impressions per video and per channel. The single code path
/// for both sides of the model: training replays the log through it (<see cref="ActivityReplay"/>),
/// serving applies events to it as they arrive, so a feature cannot mean one thing in training and
/// another in production. Bounded: the recent lists keep <see cref="MaxRecent"/> entries.
/// </summary>
public sealed class UserActivity
{
    /// <summary>
    /// "Never" as a duration: ten years. A finite stand-in, so the quantile normaliser can place it
    /// (at the top of the scale, with the users who have not watched a channel for a long time).
    /// </summary>
    public const double Never = 10 * 365.25 * 86_400;

    /// <summary>Watches and searches kept (the paper's "last 50").</summary>
    public const int MaxRecent = 50;

    private readonly Dictionary<int, long> lastChannelWatch = [];
    private readonly Dictionary<int, long> lastTopicWatch = [];
    private readonly Dictionary<int, int> videoImpressions = [];
    private readonly Dictionary<int, int> channelImpressions = [];
    private readonly Queue<int> recentWatches = new(MaxRecent);
    private readonly Queue<string> recentSearches = new(MaxRecent);

    /// <summary>Grows with every recorded event: equal versions mean equal state.</summary>
    public long Version { get; private set; }

    /// <summary>The last watched videos, oldest first.</summary>
    public IReadOnlyCollection<int> RecentWatches => recentWatches;

    /// <summary>The last search queries, oldest first.</summary>
    public IReadOnlyCollection<string> RecentSearches => recentSearches;

    /// <summary>Records that <paramref name="video"/> of <paramref name="channel"/>, about <paramref name="topics"/>, was watched at <paramref name="time"/>.</summary>
    public void RecordWatch(int video, int channel, ReadOnlySpan<int> topics, long time)
    {
        Latest(lastChannelWatch, channel, time);
        foreach (var topic in topics)
        {
            Latest(lastTopicWatch, topic, time);
        }
        Bounded(recentWatches, video);
        Version++;
    }

    /// <summary>Records a search query.</summary>
    public void RecordSearch(string query)
    {
        Bounded(recentSearches, query);
        Version++;
    }

    /// <summary>Records that <paramref name="video"/> of <paramref name="channel"/> was shown to the user.</summary>
    public void RecordImpression(int video, int channel)
    {
        videoImpressions[video] = videoImpressions.GetValueOrDefault(video) + 1;
        channelImpressions[channel] = channelImpressions.GetValueOrDefault(channel) + 1;
        Version++;
    }

    /// <summary>The counters of a candidate at time <paramref name="now"/>, from what was recorded so far.</summary>
    public ImpressionCounters CountersFor(int video, int channel, ReadOnlySpan<int> topics, long now)
    {
        var sinceChannel = lastChannelWatch.TryGetValue(channel, out var channelTime) ? Math.Min(Never, now - channelTime) : Never;
        var sinceTopic = Never;
        foreach (var topic in topics)
        {
            if (lastTopicWatch.TryGetValue(topic, out var topicTime))
            {
                sinceTopic = Math.Min(sinceTopic, now - topicTime);
            }
        }
        return new ImpressionCounters(sinceChannel, sinceTopic, videoImpressions.GetValueOrDefault(video), channelImpressions.GetValueOrDefault(channel));
    }

    private static void Bounded<T>(Queue<T> queue, T item)
    {
        if (queue.Count == MaxRecent)
        {
            queue.Dequeue();
        }
        queue.Enqueue(item);
    }

    private static void Latest(Dictionary<int, long> times, int key, long time)
    {
        if (!times.TryGetValue(key, out var previous) || time > previous)
        {
            times[key] = time;
        }
    }
}
