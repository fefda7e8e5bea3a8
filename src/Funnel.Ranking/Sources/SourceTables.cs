using System.Collections.Concurrent;
using System.Globalization;
using Funnel.Core;
using Funnel.Data.Model;
using Funnel.Ranking.Features;

namespace Funnel.Ranking.Sources;

/// <summary>A video a source table links to, with the strength of the link.</summary>
/// <param name="VideoId">The linked video.</param>
/// <param name="Score">Co-visit similarity, or watches in the region.</param>
public readonly record struct LinkedVideo(string VideoId, float Score);

/// <summary>
/// What the service's non-network candidate sources read, counted on the ranker's training side of
/// the log: co-visits (ItemKNN's statistic: two videos watched within a few watches of each other,
/// the count over √(count_a · count_b), each video's strongest neighbours) and the most watched
/// videos of each user region. Saved with the ranking stage, so a model folder serves them without
/// its dataset.
/// </summary>
/// <param name="CoVisits">Each video's strongest co-visited videos, strongest first.</param>
/// <param name="PopularByRegion">Each region's most watched videos, most watched first.</param>
/// <param name="WatchCounts">Each counted video's watches: with a similarity, they give back the pair's count, to which live co-visits add.</param>
public sealed record SourceTables(IReadOnlyDictionary<string, LinkedVideo[]> CoVisits, IReadOnlyDictionary<string, LinkedVideo[]> PopularByRegion, IReadOnlyDictionary<string, int> WatchCounts)
{
    // Each region's videos by id, built on the first request from the region.
    private readonly ConcurrentDictionary<string, Dictionary<string, float>> regionIndex = new(StringComparer.Ordinal);

    /// <summary>Watches apart (in a user's history) that still count as a co-visit.</summary>
    public const int Window = 5;

    /// <summary>Neighbours kept per video.</summary>
    public const int NeighboursPerVideo = 50;

    /// <summary>A user's last watches whose co-visited videos count.</summary>
    public const int RecentWatches = 10;

    /// <summary>Videos kept per region.</summary>
    public const int PopularPerRegion = 200;

    /// <summary>No tables: the sources that read them nominate nothing.</summary>
    public static readonly SourceTables Empty = new(new Dictionary<string, LinkedVideo[]>(), new Dictionary<string, LinkedVideo[]>(), new Dictionary<string, int>());

    /// <summary>Counts the tables from watches in the dataset's (user, time) order, each with its user's region.</summary>
    public static SourceTables Count(IReadOnlyList<Video> videos, IReadOnlyList<User> users, IEnumerable<Watch> watches) =>
        SourceCounts.Count(videos, users, watches).Tables;

    /// <summary>
    /// Each video co-visited with the last <see cref="RecentWatches"/> of <paramref name="watched"/>
    /// (oldest first), with its similarities to them summed: the co-visits source's score. With
    /// <paramref name="live"/>, a pair's count and both videos' watches are the table's plus what was
    /// counted since, and a video co-visited only since joins the table's; each watched video keeps
    /// its <see cref="NeighboursPerVideo"/> strongest, as the table does.
    /// </summary>
    public Dictionary<string, float> CoVisitScores(IReadOnlyList<string> watched, CoVisitDeltas? live = null)
    {
        var scores = new Dictionary<string, float>(StringComparer.Ordinal);
        for (var i = Math.Max(0, watched.Count - RecentWatches); i < watched.Count; i++)
        {
            // A folder saved without watch counts cannot add live counts to its similarities.
            var links = live is null || WatchCounts.Count == 0 ? CoVisits.GetValueOrDefault(watched[i], []) : Merged(watched[i], live);
            foreach (var link in links)
            {
                scores[link.VideoId] = scores.GetValueOrDefault(link.VideoId) + link.Score;
            }
        }
        return scores;
    }

    /// <summary>One video's links with the live counts added (the table's own where nothing was added).</summary>
    private IEnumerable<LinkedVideo> Merged(string video, CoVisitDeltas live)
    {
        var added = live.Pairs.GetValueOrDefault(video);
        var watches = live.Watches.GetValueOrDefault(video);
        var table = CoVisits.GetValueOrDefault(video, []);
        if (watches == 0 && (added is null || added.Count == 0))
        {
            return table;
        }
        var baseWatches = WatchCounts.GetValueOrDefault(video);
        var links = new Dictionary<string, LinkedVideo>(StringComparer.Ordinal);
        foreach (var link in table)
        {
            var otherWatches = WatchCounts.GetValueOrDefault(link.VideoId);
            var count = Math.Round(link.Score * Math.Sqrt((double)baseWatches * otherWatches));
            links[link.VideoId] = Link(link.VideoId, count + (added?.GetValueOrDefault(link.VideoId) ?? 0), baseWatches + watches, otherWatches + live.Watches.GetValueOrDefault(link.VideoId));
        }
        foreach (var (other, count) in added ?? new Dictionary<string, int>())
        {
            if (!links.ContainsKey(other))
            {
                links[other] = Link(other, count, baseWatches + watches, WatchCounts.GetValueOrDefault(other) + live.Watches.GetValueOrDefault(other));
            }
        }
        return links.Values.OrderByDescending(l => l.Score).ThenBy(l => l.VideoId, StringComparer.Ordinal).Take(NeighboursPerVideo);
    }

    private static LinkedVideo Link(string video, double count, int watches, int otherWatches) =>
        new(video, watches > 0 && otherWatches > 0 ? SourceCounts.Similarity(count, watches, otherWatches) : 0f);

    /// <summary>The signals of each video for a user with these last watches in this region (<see cref="SourceSignals.None"/> for a video no table links).</summary>
    public Func<string, SourceSignals> SignalsFor(IReadOnlyList<string> watched, string region, CoVisitDeltas? live = null) =>
        SignalsFor(CoVisitScores(watched, live), region);

    /// <summary>The signals of each video, given the <see cref="CoVisitScores"/> of the user's last watches, in this region.</summary>
    public Func<string, SourceSignals> SignalsFor(IReadOnlyDictionary<string, float> coVisits, string region)
    {
        var inRegion = regionIndex.GetOrAdd(region, r => PopularByRegion.GetValueOrDefault(r, []).ToDictionary(v => v.VideoId, v => v.Score, StringComparer.Ordinal));
        return video => new SourceSignals(coVisits.GetValueOrDefault(video), inRegion.GetValueOrDefault(video));
    }

    /// <summary>Writes one table as tab-separated lines: key, linked video, score (keys in ordinal order, links strongest first).</summary>
    public static void Write(string path, IReadOnlyDictionary<string, LinkedVideo[]> table) =>
        File.WriteAllLines(path, table.OrderBy(p => p.Key, StringComparer.Ordinal).SelectMany(p => p.Value.Select(l => string.Create(CultureInfo.InvariantCulture, $"{p.Key}\t{l.VideoId}\t{l.Score:R}"))));

    /// <summary>Writes watch counts as tab-separated lines: video, count (videos in ordinal order).</summary>
    public static void WriteCounts(string path, IReadOnlyDictionary<string, int> counts) =>
        File.WriteAllLines(path, counts.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key}\t{p.Value}")));

    /// <summary>Reads counts <see cref="WriteCounts"/> wrote; a malformed line is an error naming the file and line.</summary>
    public static Dictionary<string, int> ReadCounts(string path)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            var fields = line.Split('\t');
            if (fields.Length != 2 || fields[0].Length == 0 || !int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count) || !counts.TryAdd(fields[0], count))
            {
                throw new DataFormatException(path, number, "line", "expected VIDEO<TAB>COUNT, each video once, a count ≥ 0");
            }
        }
        return counts;
    }

    /// <summary>Reads a table <see cref="Write"/> wrote; a malformed line is an error naming the file and line.</summary>
    public static Dictionary<string, LinkedVideo[]> Read(string path)
    {
        var table = new Dictionary<string, List<LinkedVideo>>(StringComparer.Ordinal);
        // One string per video id, not one per link: fifty links a video repeat each id fifty times.
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        string Interned(string id) => ids.TryAdd(id, id) ? id : ids[id];
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            var fields = line.Split('\t');
            if (fields.Length != 3 || fields[1].Length == 0 || !float.TryParse(fields[2], NumberStyles.Float, CultureInfo.InvariantCulture, out var score) || !float.IsFinite(score))
            {
                throw new DataFormatException(path, number, "line", "expected KEY<TAB>VIDEO<TAB>SCORE with a finite score");
            }
            if (!table.TryGetValue(fields[0], out var links))
            {
                table[Interned(fields[0])] = links = [];
            }
            links.Add(new LinkedVideo(Interned(fields[1]), score));
        }
        return table.ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal);
    }
}
