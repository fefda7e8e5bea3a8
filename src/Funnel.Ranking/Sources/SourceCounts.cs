using Funnel.Data.Model;
using Funnel.Ranking.Features;

namespace Funnel.Ranking.Sources;

/// <summary>
/// The raw counts behind <see cref="SourceTables"/>, kept while the ranker trains so each example's
/// <see cref="SourceSignals"/> are taken as of its time. The tables are counted over the whole
/// training side of the log, so without care a training example's own future watch would be in its
/// features (the watched video is always co-visited with the watch before it): the signals leave
/// out the example's user's counted watches at or after its time. Other users' later watches stay
/// counted, as they are in the tables the service reads; that is collaborative signal, not the label.
/// With nothing left out (an example after every counted watch, or a served request) the signals
/// equal what the service reads from the saved tables (<see cref="SourceTables.CoVisitScores"/>).
/// </summary>
public sealed class SourceCounts
{
    private readonly IReadOnlyList<User> users;
    private readonly Dictionary<long, int> pairs;
    private readonly int[] counts;
    private readonly Dictionary<string, Dictionary<int, int>> regional;
    private readonly Dictionary<int, List<(int Video, long Time)>> byUser;
    private readonly Dictionary<int, (int Video, float Similarity)[]> kept;
    private readonly HashSet<long> keptLinks;
    private readonly Dictionary<string, HashSet<int>> keptRegional;
    private (int User, OwnWatches Watches)? own;

    private SourceCounts(IReadOnlyList<Video> videos, IReadOnlyList<User> users, Dictionary<long, int> pairs, int[] counts, Dictionary<string, Dictionary<int, int>> regional, Dictionary<int, List<(int, long)>> byUser)
    {
        this.users = users;
        this.pairs = pairs;
        this.counts = counts;
        this.regional = regional;
        this.byUser = byUser;
        var links = new Dictionary<int, List<(int Video, float Similarity)>>();
        foreach (var (key, count) in pairs)
        {
            var (a, b) = Unpair(key);
            var similarity = Similarity(count, counts[a], counts[b]);
            Link(links, a, b, similarity);
            Link(links, b, a, similarity);
        }
        kept = links.ToDictionary(
            p => p.Key,
            p => p.Value.OrderByDescending(l => l.Similarity).ThenBy(l => videos[l.Video].Id, StringComparer.Ordinal).Take(SourceTables.NeighboursPerVideo).ToArray());
        keptLinks = [.. kept.SelectMany(p => p.Value.Select(l => Directed(p.Key, l.Video)))];
        var popular = regional.ToDictionary(
            p => p.Key,
            p => p.Value.OrderByDescending(v => v.Value).ThenBy(v => videos[v.Key].Id, StringComparer.Ordinal).Take(SourceTables.PopularPerRegion).ToArray(),
            StringComparer.Ordinal);
        keptRegional = popular.ToDictionary(p => p.Key, p => p.Value.Select(v => v.Key).ToHashSet(), StringComparer.Ordinal);
        Tables = new SourceTables(
            kept.ToDictionary(p => videos[p.Key].Id, p => p.Value.Select(l => new LinkedVideo(videos[l.Video].Id, l.Similarity)).ToArray(), StringComparer.Ordinal),
            popular.ToDictionary(p => p.Key, p => p.Value.Select(v => new LinkedVideo(videos[v.Key].Id, v.Value)).ToArray(), StringComparer.Ordinal),
            Enumerable.Range(0, counts.Length).Where(v => counts[v] > 0).ToDictionary(v => videos[v].Id, v => counts[v], StringComparer.Ordinal));
    }

    /// <summary>The tables the service reads: each video's strongest neighbours, each region's most watched.</summary>
    public SourceTables Tables { get; }

    /// <summary>Counts watches in the dataset's (user, time) order, each with its user's region.</summary>
    public static SourceCounts Count(IReadOnlyList<Video> videos, IReadOnlyList<User> users, IEnumerable<Watch> watches)
    {
        var pairs = new Dictionary<long, int>();
        var counts = new int[videos.Count];
        var regional = new Dictionary<string, Dictionary<int, int>>(StringComparer.Ordinal);
        var byUser = new Dictionary<int, List<(int, long)>>();
        List<(int Video, long Time)>? sequence = null;
        var user = -1;
        foreach (var watch in watches)
        {
            if (watch.User != user)
            {
                user = watch.User;
                byUser[user] = sequence = [];
            }
            counts[watch.Video]++;
            var region = users[watch.User].Region;
            if (!regional.TryGetValue(region, out var inRegion))
            {
                regional[region] = inRegion = [];
            }
            inRegion[watch.Video] = inRegion.GetValueOrDefault(watch.Video) + 1;
            foreach (var earlier in Window(sequence!))
            {
                if (earlier.Video != watch.Video)
                {
                    var key = Pair(earlier.Video, watch.Video);
                    pairs[key] = pairs.GetValueOrDefault(key) + 1;
                }
            }
            sequence!.Add((watch.Video, watch.Time));
        }
        return new SourceCounts(videos, users, pairs, counts, regional, byUser);
    }

    /// <summary>
    /// The signals of <paramref name="video"/> for <paramref name="user"/> at <paramref name="time"/>,
    /// given their last watches <paramref name="recent"/> (oldest first): the user's counted watches at
    /// or after that time are left out. Calls for one user in a row share the user's counted pairs.
    /// </summary>
    public SourceSignals SignalsAt(int user, IReadOnlyList<int> recent, int video, long time)
    {
        var mine = Own(user);
        var coVisits = 0f;
        for (var i = Math.Max(0, recent.Count - SourceTables.RecentWatches); i < recent.Count; i++)
        {
            if (recent[i] != video && keptLinks.Contains(Directed(recent[i], video)))
            {
                coVisits += SimilarityAt(mine, recent[i], video, time);
            }
        }
        var region = users[user].Region;
        var regionalWatches = keptRegional.TryGetValue(region, out var inRegion) && inRegion.Contains(video)
            ? regional[region][video] - mine.VideoAtOrAfter(video, time)
            : 0;
        return new SourceSignals(coVisits, regionalWatches);
    }

    /// <summary>
    /// What the co-visits source nominates for <paramref name="user"/> at <paramref name="time"/>: up to
    /// <paramref name="count"/> videos by their summed similarities to the last watches, as of that
    /// time (as <see cref="SignalsAt"/>), none of <paramref name="exclude"/>, best first (ties by index).
    /// </summary>
    public List<int> CoVisitedAt(int user, IReadOnlyList<int> recent, long time, int count, IReadOnlySet<int> exclude)
    {
        var mine = Own(user);
        var scores = new Dictionary<int, float>();
        for (var i = Math.Max(0, recent.Count - SourceTables.RecentWatches); i < recent.Count; i++)
        {
            foreach (var (video, _) in kept.GetValueOrDefault(recent[i], []))
            {
                if (!exclude.Contains(video))
                {
                    scores[video] = scores.GetValueOrDefault(video) + SimilarityAt(mine, recent[i], video, time);
                }
            }
        }
        return [.. scores.Where(p => p.Value > 0).OrderByDescending(p => p.Value).ThenBy(p => p.Key).Take(count).Select(p => p.Key)];
    }

    /// <summary>The co-visit similarity of two videos without the user's counted watches at or after <paramref name="time"/>.</summary>
    private float SimilarityAt(OwnWatches mine, int watched, int video, long time)
    {
        var pair = Pair(watched, video);
        var count = pairs[pair] - mine.PairAtOrAfter(pair, time);
        return count > 0 ? Similarity(count, counts[watched] - mine.VideoAtOrAfter(watched, time), counts[video] - mine.VideoAtOrAfter(video, time)) : 0f;
    }

    private OwnWatches Own(int user)
    {
        if (own is not { } cached || cached.User != user)
        {
            own = (user, new OwnWatches(byUser.GetValueOrDefault(user, [])));
        }
        return own.Value.Watches;
    }

    /// <summary>One user's counted watches by video and by co-visited pair, with their times (the later watch's, for a pair).</summary>
    private sealed class OwnWatches
    {
        private readonly Dictionary<int, List<long>> videoTimes = [];
        private readonly Dictionary<long, List<long>> pairTimes = [];

        public OwnWatches(List<(int Video, long Time)> sequence)
        {
            for (var i = 0; i < sequence.Count; i++)
            {
                var (video, time) = sequence[i];
                Add(videoTimes, video, time);
                for (var j = Math.Max(0, i - SourceTables.Window); j < i; j++)
                {
                    if (sequence[j].Video != video)
                    {
                        Add(pairTimes, Pair(sequence[j].Video, video), time);
                    }
                }
            }
        }

        public int VideoAtOrAfter(int video, long time) => AtOrAfter(videoTimes, video, time);

        public int PairAtOrAfter(long pair, long time) => AtOrAfter(pairTimes, pair, time);

        private static int AtOrAfter<TKey>(Dictionary<TKey, List<long>> times, TKey key, long time)
            where TKey : notnull => times.TryGetValue(key, out var list) ? list.Count(t => t >= time) : 0;

        private static void Add<TKey>(Dictionary<TKey, List<long>> times, TKey key, long time)
            where TKey : notnull
        {
            if (!times.TryGetValue(key, out var list))
            {
                times[key] = list = [];
            }
            list.Add(time);
        }
    }

    /// <summary>The last <see cref="SourceTables.Window"/> watches of a user's sequence so far.</summary>
    private static IEnumerable<(int Video, long Time)> Window(List<(int Video, long Time)> sequence) =>
        sequence.Skip(Math.Max(0, sequence.Count - SourceTables.Window));

    /// <summary>The co-visit similarity: a pair's count over √ of both videos' watches.</summary>
    internal static float Similarity(double count, int a, int b) => (float)(count / Math.Sqrt((double)a * b));

    private static long Pair(int a, int b)
    {
        var (low, high) = a < b ? (a, b) : (b, a);
        return ((long)low << 32) | (uint)high;
    }

    private static (int, int) Unpair(long key) => ((int)(key >> 32), (int)(uint)key);

    private static long Directed(int from, int to) => ((long)from << 32) | (uint)to;

    private static void Link(Dictionary<int, List<(int, float)>> links, int from, int to, float similarity)
    {
        if (!links.TryGetValue(from, out var list))
        {
            links[from] = list = [];
        }
        list.Add((to, similarity));
    }
}
