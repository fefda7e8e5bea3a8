using Funnel.Ranking.Sources;

namespace Funnel.Serving.Recommendations;

/// <summary>
/// The candidate sources that read the ranking stage's tables: co-visits of the user's last
/// watches (<see cref="SourceTables.CoVisitScores"/>) and the most watched
/// videos of the user's region. Both leave out what the user watched or asked to exclude.
/// </summary>
public static class TableSources
{
    /// <summary>Up to <paramref name="count"/> of the co-visited videos <paramref name="scores"/> (<see cref="SourceTables.CoVisitScores"/> of the user's last watches), none of <paramref name="taken"/>, best first.</summary>
    public static IReadOnlyList<LinkedVideo> CoVisited(IReadOnlyDictionary<string, float> scores, IReadOnlySet<string> taken, int count) =>
        count <= 0 ? [] : [.. scores
            .Where(p => !taken.Contains(p.Key))
            .OrderByDescending(p => p.Value)
            .ThenBy(p => p.Key, StringComparer.Ordinal)
            .Take(count)
            .Select(p => new LinkedVideo(p.Key, p.Value))];

    /// <summary>Up to <paramref name="count"/> of the region's most watched videos, none of <paramref name="taken"/>.</summary>
    public static IReadOnlyList<LinkedVideo> Regional(SourceTables tables, string region, IReadOnlySet<string> taken, int count) =>
        count <= 0 ? [] : [.. tables.PopularByRegion.GetValueOrDefault(region, []).Where(v => !taken.Contains(v.VideoId)).Take(count)];
}
