using System.Globalization;
using Funnel.Ranking.Sources;
using StackExchange.Redis;

namespace Funnel.Serving.Store;

/// <summary>
/// Co-visits counted from live watches, in the store beside the events so every replica adds to and
/// reads the same counts: per video a sorted set <c>funnel:covisits:{tables}:{video}</c> (co-visited
/// video → how often since the tables were counted) and one hash <c>funnel:video-watches:{tables}</c>
/// (video → watches since), where <c>{tables}</c> names the model's co-visits table, so a model with
/// new tables starts counting afresh instead of counting twice what its tables already hold; a
/// generation no replica writes any more expires <see cref="Lifetime"/> after its last write. A watch pairs with the user's previous <see cref="SourceTables.Window"/> watches, as the
/// ranking stage counts them. Each set keeps its <see cref="MaxLinksPerVideo"/> strongest links and
/// events are checked against the catalogue before they get here, so the counts stay bounded by the
/// catalogue whatever clients post. Single commands, like the event log (docs/serving.md).
/// </summary>
public sealed class CoVisitStore(IConnectionMultiplexer connection)
{
    /// <summary>Links kept per video: four times the table's, so a link rising into the top is not trimmed first.</summary>
    public const int MaxLinksPerVideo = 4 * SourceTables.NeighboursPerVideo;

    /// <summary>The endpoint label of <c>funnel_errors_total</c> when the live counts cannot be written or read.</summary>
    public const string MetricsEndpoint = "covisits";

    /// <summary>How long a generation's keys outlive their last write.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(30);

    private readonly IDatabase database = connection.GetDatabase();

    /// <summary>Counts the watches of <paramref name="watched"/> (oldest first), each with the ones before it and with <paramref name="earlier"/> (the user's watches before them, oldest first), for the tables named <paramref name="tables"/>.</summary>
    public async Task RecordAsync(string tables, IReadOnlyList<string> earlier, IReadOnlyList<string> watched)
    {
        if (watched.Count == 0)
        {
            return;
        }
        var window = new List<string>(earlier.Skip(Math.Max(0, earlier.Count - SourceTables.Window)));
        var writes = new List<Task>();
        var touched = new HashSet<string>(StringComparer.Ordinal);
        foreach (var video in watched)
        {
            writes.Add(database.HashIncrementAsync(WatchesKey(tables), video));
            foreach (var before in window.Where(v => v != video))
            {
                writes.Add(database.SortedSetIncrementAsync(LinksKey(tables, before), video, 1));
                writes.Add(database.SortedSetIncrementAsync(LinksKey(tables, video), before, 1));
                touched.Add(before);
                touched.Add(video);
            }
            if (window.Count == SourceTables.Window)
            {
                window.RemoveAt(0);
            }
            window.Add(video);
        }
        foreach (var video in touched)
        {
            writes.Add(database.SortedSetRemoveRangeByRankAsync(LinksKey(tables, video), 0, -(MaxLinksPerVideo + 1)));
            writes.Add(database.KeyExpireAsync(LinksKey(tables, video), Lifetime));
        }
        writes.Add(database.KeyExpireAsync(WatchesKey(tables), Lifetime));
        await Task.WhenAll(writes).ConfigureAwait(false);
    }

    /// <summary>What was counted since the tables named <paramref name="tables"/> for the last <see cref="SourceTables.RecentWatches"/> of <paramref name="watched"/>, and the watches of every video involved.</summary>
    public async Task<CoVisitDeltas> ReadAsync(string tables, IReadOnlyList<string> watched)
    {
        var recent = watched.Skip(Math.Max(0, watched.Count - SourceTables.RecentWatches)).Distinct(StringComparer.Ordinal).ToList();
        if (recent.Count == 0)
        {
            return CoVisitDeltas.None;
        }
        var reads = recent.Select(v => database.SortedSetRangeByRankWithScoresAsync(LinksKey(tables, v), 0, MaxLinksPerVideo - 1, Order.Descending)).ToList();
        await Task.WhenAll(reads).ConfigureAwait(false);
        var pairs = new Dictionary<string, IReadOnlyDictionary<string, int>>(StringComparer.Ordinal);
        for (var i = 0; i < recent.Count; i++)
        {
            pairs[recent[i]] = reads[i].Result.ToDictionary(e => e.Element.ToString(), e => (int)e.Score, StringComparer.Ordinal);
        }
        var videos = recent.Concat(pairs.Values.SelectMany(p => p.Keys)).Distinct(StringComparer.Ordinal).ToArray();
        var counts = await database.HashGetAsync(WatchesKey(tables), [.. videos.Select(v => (RedisValue)v)]).ConfigureAwait(false);
        var watches = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < videos.Length; i++)
        {
            if (counts[i].HasValue)
            {
                watches[videos[i]] = int.Parse(counts[i].ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture);
            }
        }
        return new CoVisitDeltas(pairs, watches);
    }

    private static RedisKey LinksKey(string tables, string video) => $"funnel:covisits:{tables}:{video}";

    private static RedisKey WatchesKey(string tables) => $"funnel:video-watches:{tables}";
}
