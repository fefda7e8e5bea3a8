using System.Globalization;
using Funnel.Core;
using Funnel.Data.Model;

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
public sealed record SourceTables(IReadOnlyDictionary<string, LinkedVideo[]> CoVisits, IReadOnlyDictionary<string, LinkedVideo[]> PopularByRegion)
{
    /// <summary>Watches apart (in a user's history) that still count as a co-visit.</summary>
    public const int Window = 5;

    /// <summary>Neighbours kept per video.</summary>
    public const int NeighboursPerVideo = 50;

    /// <summary>Videos kept per region.</summary>
    public const int PopularPerRegion = 200;

    /// <summary>No tables: the sources that read them nominate nothing.</summary>
    public static readonly SourceTables Empty = new(new Dictionary<string, LinkedVideo[]>(), new Dictionary<string, LinkedVideo[]>());

    /// <summary>Counts the tables from watches in the dataset's (user, time) order, each with its user's region.</summary>
    public static SourceTables Count(IReadOnlyList<Video> videos, IReadOnlyList<User> users, IEnumerable<Watch> watches)
    {
        var pairs = new Dictionary<long, int>();
        var counts = new int[videos.Count];
        var regional = new Dictionary<string, Dictionary<int, int>>(StringComparer.Ordinal);
        var recent = new List<int>(Window);
        var user = -1;
        foreach (var watch in watches)
        {
            if (watch.User != user)
            {
                user = watch.User;
                recent.Clear();
            }
            counts[watch.Video]++;
            var region = users[watch.User].Region;
            if (!regional.TryGetValue(region, out var inRegion))
            {
                regional[region] = inRegion = [];
            }
            inRegion[watch.Video] = inRegion.GetValueOrDefault(watch.Video) + 1;
            foreach (var earlier in recent)
            {
                if (earlier != watch.Video)
                {
                    var (low, high) = earlier < watch.Video ? (earlier, watch.Video) : (watch.Video, earlier);
                    var key = ((long)low << 32) | (uint)high;
                    pairs[key] = pairs.GetValueOrDefault(key) + 1;
                }
            }
            if (recent.Count == Window)
            {
                recent.RemoveAt(0);
            }
            recent.Add(watch.Video);
        }
        var links = new Dictionary<int, List<(int Video, float Similarity)>>();
        foreach (var (key, count) in pairs)
        {
            var (a, b) = ((int)(key >> 32), (int)(uint)key);
            var similarity = (float)(count / Math.Sqrt((double)counts[a] * counts[b]));
            Link(links, a, b, similarity);
            Link(links, b, a, similarity);
        }
        var coVisits = links.ToDictionary(
            p => videos[p.Key].Id,
            p => p.Value.OrderByDescending(l => l.Similarity).ThenBy(l => videos[l.Video].Id, StringComparer.Ordinal).Take(NeighboursPerVideo).Select(l => new LinkedVideo(videos[l.Video].Id, l.Similarity)).ToArray(),
            StringComparer.Ordinal);
        var popular = regional.ToDictionary(
            p => p.Key,
            p => p.Value.OrderByDescending(v => v.Value).ThenBy(v => videos[v.Key].Id, StringComparer.Ordinal).Take(PopularPerRegion).Select(v => new LinkedVideo(videos[v.Key].Id, v.Value)).ToArray(),
            StringComparer.Ordinal);
        return new SourceTables(coVisits, popular);
    }

    /// <summary>Writes one table as tab-separated lines: key, linked video, score (keys in ordinal order, links strongest first).</summary>
    public static void Write(string path, IReadOnlyDictionary<string, LinkedVideo[]> table) =>
        File.WriteAllLines(path, table.OrderBy(p => p.Key, StringComparer.Ordinal).SelectMany(p => p.Value.Select(l => string.Create(CultureInfo.InvariantCulture, $"{p.Key}\t{l.VideoId}\t{l.Score:R}"))));

    /// <summary>Reads a table <see cref="Write"/> wrote; a malformed line is an error naming the file and line.</summary>
    public static Dictionary<string, LinkedVideo[]> Read(string path)
    {
        var table = new Dictionary<string, List<LinkedVideo>>(StringComparer.Ordinal);
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
                table[fields[0]] = links = [];
            }
            links.Add(new LinkedVideo(fields[1], score));
        }
        return table.ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal);
    }

    private static void Link(Dictionary<int, List<(int, float)>> links, int from, int to, float similarity)
    {
        if (!links.TryGetValue(from, out var list))
        {
            links[from] = list = [];
        }
        list.Add((to, similarity));
    }
}
