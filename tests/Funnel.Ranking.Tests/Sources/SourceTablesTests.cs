using Funnel.Core;
using Funnel.Ranking.Sources;
using static Funnel.Ranking.Tests.Sources.TinyCatalogue;

namespace Funnel.Ranking.Tests.Sources;

public sealed class SourceTablesTests
{
    [Fact]
    public void Co_visits_are_counted_within_the_window_symmetric_and_normalised_by_both_counts()
    {
        // User a: v0 v1 ... v6 in order; user b: v0 v1. v0–v1 co-visited twice; v0 and v6 are 6 watches apart (window 5).
        var watches = Enumerable.Range(0, 7).Select(v => W(0, v, v)).Concat([W(1, 0, 1), W(1, 1, 2)]);

        var tables = SourceTables.Count(Videos, Users, watches);

        var v0 = tables.CoVisits["v0"];
        Assert.Equal("v1", v0[0].VideoId);
        Assert.Equal(2 / Math.Sqrt(2 * 2), v0[0].Score, 5);
        Assert.DoesNotContain(v0, l => l.VideoId == "v6");
        Assert.Contains(tables.CoVisits["v5"], l => l.VideoId == "v0");
        Assert.Equal(tables.CoVisits["v1"].Single(l => l.VideoId == "v0").Score, v0[0].Score);
        Assert.False(tables.CoVisits.ContainsKey("v7"));
    }

    [Fact]
    public void A_users_watches_never_pair_with_the_previous_users()
    {
        var tables = SourceTables.Count(Videos, Users, [W(0, 0, 1), W(1, 1, 2)]);

        Assert.Empty(tables.CoVisits);
    }

    [Fact]
    public void Each_region_ranks_its_own_watches()
    {
        var tables = SourceTables.Count(Videos, Users, [W(0, 3, 1), W(0, 2, 2), W(1, 3, 3), W(2, 4, 4), W(2, 4, 5), W(2, 3, 6)]);

        Assert.Equal(["v3", "v2"], tables.PopularByRegion["north"].Select(l => l.VideoId));
        Assert.Equal(["v4", "v3"], tables.PopularByRegion["south"].Select(l => l.VideoId));
        Assert.Equal(2, tables.PopularByRegion["north"][0].Score);
    }

    [Fact]
    public void A_table_reads_back_as_written_and_a_bad_line_is_named()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("funnel-sources-").FullName, "covisits.tsv");
        var tables = SourceTables.Count(Videos, Users, Enumerable.Range(0, 7).Select(v => W(0, v, v)));

        SourceTables.Write(path, tables.CoVisits);
        var read = SourceTables.Read(path);

        Assert.Equal(tables.CoVisits.Keys.Order(StringComparer.Ordinal), read.Keys.Order(StringComparer.Ordinal));
        Assert.All(read, p => Assert.Equal(tables.CoVisits[p.Key], p.Value));
        File.AppendAllLines(path, ["v1\tv2\tNaN"]);
        var error = Assert.Throws<DataFormatException>(() => SourceTables.Read(path));
        Assert.Equal(path, error.File);
        Assert.Equal(File.ReadAllLines(path).Length, error.Line);
    }

    [Fact]
    public void Watch_counts_read_back_as_written_and_a_bad_line_is_named()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("funnel-sources-").FullName, "video-watches.tsv");
        var tables = SourceTables.Count(Videos, Users, [W(0, 0, 1), W(0, 1, 2), W(1, 1, 3)]);

        SourceTables.WriteCounts(path, tables.WatchCounts);

        Assert.Equal(new Dictionary<string, int> { ["v0"] = 1, ["v1"] = 2 }, SourceTables.ReadCounts(path));
        File.AppendAllLines(path, ["v1\t3"]);
        var error = Assert.Throws<DataFormatException>(() => SourceTables.ReadCounts(path));
        Assert.Equal(3, error.Line);
    }
}
