using Funnel.Data.Model;
using Funnel.Data.Storage;
using Funnel.Ranking.Features;

namespace Funnel.Ranking.Examples;

/// <summary>
/// Turns a dataset's impressions into ranking examples: each impression with its user's state
/// replayed from strictly earlier watches, searches and impressions (<see cref="ActivityReplay"/>),
/// the same code the service runs on live events.
/// </summary>
public static class RankingExampleBuilder
{
    /// <summary>Builds one example per impression, ordered by (user, time) as the dataset stores them.</summary>
    public static async Task<RankingExample[]> BuildAsync(Dataset dataset, CancellationToken cancellation = default)
    {
        var impressions = await dataset.ReadImpressionsAsync(cancellation).FlattenAsync().ConfigureAwait(false);
        return await BuildAsync(dataset, impressions, cancellation).ConfigureAwait(false);
    }

    /// <summary>Builds one example per impression of <paramref name="impressions"/> (sorted by user, then time), replayed against the dataset's watches and searches.</summary>
    public static async Task<RankingExample[]> BuildAsync(Dataset dataset, List<Impression> impressions, CancellationToken cancellation = default)
    {
        var videos = Facts(dataset.Videos);
        var watches = await dataset.ReadWatchesAsync(cancellation).FlattenAsync().ConfigureAwait(false);
        var searches = await dataset.ReadSearchesAsync(cancellation).FlattenAsync().ConfigureAwait(false);
        var examples = new RankingExample[impressions.Count];
        var (w, s) = (0, 0);
        for (var start = 0; start < impressions.Count;)
        {
            // Every table is sorted by (user, time): take one user's slice of each.
            var user = impressions[start].User;
            var end = start;
            while (end < impressions.Count && impressions[end].User == user)
            {
                end++;
            }
            var userWatches = new List<(int, long)>();
            for (; w < watches.Count && watches[w].User <= user; w++)
            {
                if (watches[w].User == user)
                {
                    userWatches.Add((watches[w].Video, watches[w].Time));
                }
            }
            var userSearches = new List<(string, long)>();
            for (; s < searches.Count && searches[s].User <= user; s++)
            {
                if (searches[s].User == user)
                {
                    userSearches.Add((searches[s].Query, searches[s].Time));
                }
            }
            var shown = impressions.GetRange(start, end - start);
            var states = ActivityReplay.Replay(userWatches, userSearches, [.. shown.Select(i => (i.Video, i.Time))], videos);
            for (var i = 0; i < shown.Count; i++)
            {
                var impression = shown[i];
                examples[start + i] = new RankingExample(impression.User, impression.Video, impression.Page, impression.Time, impression.Clicked, impression.WatchSeconds, states[i], CandidateNomination.None, SourceSignals.None);
            }
            start = end;
        }
        return examples;
    }

    /// <summary>Dense channel and topic indices of every video (unknown channel: its own index 0).</summary>
    public static VideoFacts[] Facts(IReadOnlyList<Video> videos)
    {
        var channels = new Dictionary<string, int>(StringComparer.Ordinal) { [""] = 0 };
        var topics = new Dictionary<string, int>(StringComparer.Ordinal);
        return [.. videos.Select(video => new VideoFacts(
            Index(channels, video.Channel),
            [.. video.Topics.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(topic => Index(topics, topic))]))];
    }

    private static int Index(Dictionary<string, int> names, string name)
    {
        if (!names.TryGetValue(name, out var index))
        {
            index = names.Count;
            names[name] = index;
        }
        return index;
    }
}
