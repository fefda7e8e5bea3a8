using Funnel.Candidates.Inference;
using Funnel.Data.Storage;
using Funnel.Ranking.Examples;
using Funnel.Ranking.Features;
using Funnel.Ranking.Inference;
using Funnel.Ranking.Training;
using Funnel.Runs.Ranking;

namespace Funnel.Ranking.Tests.Examples;

public sealed class CandidateListsTests(RankingWorld world) : IClassFixture<RankingWorld>
{
    [Fact]
    public async Task A_list_is_drawn_from_the_models_unwatched_top_with_the_completed_watch_as_its_one_click()
    {
        var dataset = await Dataset.OpenAsync(world.Data);
        using var model = CandidateModel.Load(world.CandidateModel);
        var options = new CandidateListOptions(ListsPerUser: 5, Depth: 60, Shown: 10, Seed: 3);

        var lists = await CandidateLists.BuildAsync(dataset, model, options, _ => long.MaxValue);

        var watches = await dataset.ReadWatchesAsync().FlattenAsync();
        Assert.InRange(lists.Kept, 1, lists.Probed);
        Assert.Equal(lists.Kept * options.Shown, lists.Impressions.Count);
        Assert.True(lists.Probed <= dataset.Users.Count * options.ListsPerUser);
        foreach (var page in lists.Impressions.GroupBy(i => i.Page))
        {
            var shown = page.ToList();
            var click = Assert.Single(shown, i => i.Clicked);
            Assert.All(shown, i => Assert.Equal((click.User, click.Time), (i.User, i.Time)));
            Assert.Equal(shown.Select(i => i.Position).Order(), shown.Select(i => i.Position));
            Assert.All(shown, i => Assert.InRange(i.Position, 0, options.Depth - 1));
            Assert.Equal(shown.Count, shown.Select(i => i.Video).Distinct().Count());
            Assert.Contains(watches, w => w.User == click.User && w.Video == click.Video && w.Time == click.Time && !(w.Completion < options.CompletionThreshold));
            var before = watches.Where(w => w.User == click.User && w.Time < click.Time).Select(w => w.Video).ToHashSet();
            Assert.DoesNotContain(shown, i => before.Contains(i.Video));
            Assert.All(shown.Where(i => !i.Clicked), i => Assert.Equal(0f, i.WatchSeconds));
            Assert.True(click.WatchSeconds > 0, "the click carries its watch time as its weight");
        }
        Assert.Contains(lists.Impressions, i => i.Position >= options.Shown);
        Assert.Equal(lists.Impressions.OrderBy(i => i.User).ThenBy(i => i.Time).ThenBy(i => i.Page).ThenBy(i => i.Position), lists.Impressions);
    }

    [Fact]
    public async Task Asked_for_lists_a_log_with_impressions_trains_on_the_candidate_models_lists_instead()
    {
        var dataset = await Dataset.OpenAsync(world.Data);

        var logged = await RankingData.PrepareAsync(world.Data, world.CandidateModel, 0.25);
        var listed = await RankingData.PrepareAsync(world.Data, world.CandidateModel, 0.25, new CandidateListOptions(ListsPerUser: 5, Depth: 60, Shown: 10, InsteadOfImpressions: true));

        Assert.Equal(dataset.Manifest.Counts.Impressions, logged.Examples.Count);
        Assert.NotEqual(logged.Examples.Count, listed.Examples.Count);
        Assert.All(listed.Examples.GroupBy(e => e.Page), page =>
        {
            Assert.Equal(10, page.Count());
            Assert.Single(page, e => e.Clicked);
        });
    }

    [Fact]
    public async Task With_source_features_the_lists_also_hold_the_co_visits_sources_nominations()
    {
        // Shown = depth: a plain list shows every video the network nominated.
        var options = new CandidateListOptions(ListsPerUser: 5, Depth: 10, Shown: 10, CoVisits: 40, InsteadOfImpressions: true);

        var plain = await RankingData.PrepareAsync(world.Data, world.CandidateModel, 0.25, options);
        var merged = await RankingData.PrepareAsync(world.Data, world.CandidateModel, 0.25, options, sourceFeatures: true);

        var networkShown = plain.Examples.Select(e => (e.User, e.Time, e.Video)).ToHashSet();
        Assert.Contains(merged.Examples, e => !networkShown.Contains((e.User, e.Time, e.Video)) && e.Signals.CoVisitScore > 0);
        Assert.True(merged.Examples.Count(e => e.Clicked) >= plain.Examples.Count(e => e.Clicked));
        Assert.Equal(plain.HoldoutStart, merged.HoldoutStart);
        Assert.All(plain.Examples, e => Assert.Equal(SourceSignals.None, e.Signals));
    }

    [Fact]
    public async Task No_list_is_built_from_a_held_out_watch()
    {
        var dataset = await Dataset.OpenAsync(world.Data);
        using var model = CandidateModel.Load(world.CandidateModel);
        var watches = await dataset.ReadWatchesAsync().FlattenAsync();
        var middle = watches.Select(w => w.Time).Order().ElementAt(watches.Count / 2);

        var lists = await CandidateLists.BuildAsync(dataset, model, new CandidateListOptions(ListsPerUser: 50), user => user % 2 == 0 ? middle : long.MaxValue);

        Assert.NotEmpty(lists.Impressions);
        Assert.DoesNotContain(lists.Impressions, i => i.User % 2 == 0 && i.Time >= middle);
        Assert.Contains(lists.Impressions, i => i.User % 2 == 1 && i.Time >= middle);
    }

    [Fact]
    public async Task The_lists_repeat_for_a_seed()
    {
        var dataset = await Dataset.OpenAsync(world.Data);
        using var model = CandidateModel.Load(world.CandidateModel);

        var a = await CandidateLists.BuildAsync(dataset, model, new CandidateListOptions(ListsPerUser: 3, Seed: 1), _ => long.MaxValue);
        var b = await CandidateLists.BuildAsync(dataset, model, new CandidateListOptions(ListsPerUser: 3, Seed: 1), _ => long.MaxValue);
        var c = await CandidateLists.BuildAsync(dataset, model, new CandidateListOptions(ListsPerUser: 3, Seed: 2), _ => long.MaxValue);

        Assert.Equal(a.Impressions, b.Impressions);
        Assert.NotEqual(a.Impressions, c.Impressions);
    }

    [Fact]
    public async Task A_log_without_impressions_trains_a_ranker_on_candidate_lists_and_needs_a_candidate_model_for_it()
    {
        var data = world.NewFolder("watches-only");
        await DatasetCopies.WriteWithoutImpressionsAsync(await Dataset.OpenAsync(world.Data), data, "watches-only");
        var model = world.NewFolder("model");
        world.CopyCandidatesTo(model);

        var manifest = await RankingTrainingRun.RunAsync(data, model, TinyModels.Ranking());

        Assert.NotNull(manifest.CandidateModelVersion);
        Assert.InRange(manifest.TestMetrics.Single(m => m.Metric == "auc").Value, 0.0, 1.0);
        Assert.True(File.Exists(Path.Combine(model, RankingModelFolder.Stage, RankingManifest.FileName)));
        var refused = await Assert.ThrowsAsync<ArgumentException>(() => RankingData.PrepareAsync(data, null, 0.1));
        Assert.Contains("no impressions", refused.Message, StringComparison.Ordinal);
        Assert.Contains("funnel train candidates", refused.Message, StringComparison.Ordinal);
    }
}
