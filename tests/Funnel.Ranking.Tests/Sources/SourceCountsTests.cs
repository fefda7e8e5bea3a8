using Funnel.Data.Model;
using Funnel.Ranking.Sources;
using static Funnel.Ranking.Tests.Sources.TinyCatalogue;

namespace Funnel.Ranking.Tests.Sources;

public sealed class SourceCountsTests
{
    // a: v0 (t10) v1 (t20) v2 (t30); b: v0 (t5) v1 (t6); c: v0 (t7) v3 (t8).
    private static readonly Watch[] Log = [W(0, 0, 10), W(0, 1, 20), W(0, 2, 30), W(1, 0, 5), W(1, 1, 6), W(2, 0, 7), W(2, 3, 8)];

    [Fact]
    public void An_example_does_not_see_its_users_own_later_watches()
    {
        var counts = SourceCounts.Count(Videos, Users, Log);

        // Just before a watches v1: only b's co-visit of v0 and v1 counts, and v1's one watch by b.
        var before = counts.SignalsAt(0, [0], 1, time: 20);
        Assert.Equal((float)(1 / Math.Sqrt(3 * 1)), before.CoVisitScore, 6);
        Assert.Equal(1, before.RegionalWatches);

        // Before a watches v2, nobody else co-visited it: nothing is left.
        var second = counts.SignalsAt(0, [0, 1], 2, time: 30);
        Assert.Equal(0, second.CoVisitScore);
        Assert.Equal(0, second.RegionalWatches);
    }

    [Fact]
    public void After_every_counted_watch_the_signals_are_what_the_saved_tables_say()
    {
        var counts = SourceCounts.Count(Videos, Users, Log);
        var signals = counts.Tables.SignalsFor(["v0"], "north");

        foreach (var video in new[] { 1, 2, 3, 4 })
        {
            Assert.Equal(signals(Videos[video].Id), counts.SignalsAt(0, [0], video, time: 100));
        }
        Assert.Equal((float)(2 / Math.Sqrt(3 * 2)), signals("v1").CoVisitScore, 6);
        Assert.Equal(2, signals("v1").RegionalWatches);
        Assert.Equal(0, signals("v3").RegionalWatches);
        Assert.True(signals("v3").CoVisitScore > 0);
    }

    [Fact]
    public void The_co_visits_source_as_of_a_time_nominates_what_others_co_visited_then()
    {
        var counts = SourceCounts.Count(Videos, Users, Log);

        // As of a's watch of v1: v1 (b) and v3 (c) tie at 1/√3; v2 is co-visited only by a's own later watch.
        Assert.Equal([1, 3], counts.CoVisitedAt(0, [0], 20, 5, new HashSet<int> { 0 }));
        Assert.Equal([3], counts.CoVisitedAt(0, [0], 20, 5, new HashSet<int> { 0, 1 }));
        Assert.Equal([1], counts.CoVisitedAt(0, [0], 20, 1, new HashSet<int> { 0 }));
        Assert.Equal([1, 2, 3], counts.CoVisitedAt(0, [0], 100, 5, new HashSet<int> { 0 }).Order());
    }

    [Fact]
    public void Live_co_visits_add_to_the_tables_counts_and_bring_new_links()
    {
        var tables = SourceCounts.Count(Videos, Users, Log).Tables;
        var live = new CoVisitDeltas(
            new Dictionary<string, IReadOnlyDictionary<string, int>> { ["v0"] = new Dictionary<string, int> { ["v1"] = 1, ["v5"] = 2 } },
            new Dictionary<string, int> { ["v0"] = 3, ["v1"] = 1, ["v5"] = 2 });

        var scores = tables.CoVisitScores(["v0"], live);

        // v0 had 3 watches and gets 3 more; v0–v1: 2 counted + 1 live over √(6 · 3); v5 is new: 2 over √(6 · 2).
        Assert.Equal(3 / Math.Sqrt(6 * 3), scores["v1"], 5);
        Assert.Equal(2 / Math.Sqrt(6 * 2), scores["v5"], 5);
        Assert.Equal(1 / Math.Sqrt(6 * 1), scores["v2"], 5);
        Assert.Equal(tables.CoVisitScores(["v0"]), tables.CoVisitScores(["v0"], CoVisitDeltas.None));
    }
}
