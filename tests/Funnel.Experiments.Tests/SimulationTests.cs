using Funnel.Data.Storage;
using Funnel.Experiments.Arms;
using Funnel.Experiments.Simulation;
using Funnel.Ranking.Inference;
using Funnel.Ranking.Training;
using Funnel.Serving.Models;

namespace Funnel.Experiments.Tests;

[Collection("experiment")]
public class SimulationTests(ExperimentFixture fixture)
{
    private static readonly ExperimentOptions Options = new(Days: 2, Seed: 3, Users: 80, Concurrency: 2, Resamples: 50);

    [Fact]
    public async Task The_logged_copy_ends_where_the_experiment_starts()
    {
        var logged = await Dataset.OpenAsync(Path.Combine(Path.GetDirectoryName(fixture.Data)!, "logged"));
        var watches = await logged.ReadWatchesAsync().FlattenAsync();
        Assert.NotEmpty(watches);
        Assert.All(watches, w => Assert.True(w.Time < fixture.World.Start));
        Assert.Equal(fixture.World.Watches.Count, watches.Count);
        Assert.Equal(fixture.World.Dataset.Videos.Count, logged.Videos.Count);
        Assert.True(File.Exists(Path.Combine(logged.Directory, "truth", "world.json")));
        var full = await fixture.World.Dataset.ReadWatchesAsync().FlattenAsync();
        Assert.Contains(full, w => w.Time >= fixture.World.Start);
    }

    [Fact]
    public async Task A_seeded_simulation_repeats_exactly()
    {
        var (first, anatomy) = await ExperimentRun.SimulateAsync(fixture.World, fixture.Arms, Options, fixture.NewFolder("state"));
        var (second, again) = await ExperimentRun.SimulateAsync(fixture.World, fixture.Arms, Options, fixture.NewFolder("state"));
        Assert.Equal(80, first.Count);
        Assert.True(first.Sum(o => o.Slates) > 50, "the users were served slates");
        Assert.True(first.Sum(o => o.Clicks) > 0, "and clicked some");
        Assert.Equal(Summaries(first), Summaries(second));
        Assert.Equal(anatomy, again);
        var (other, _) = await ExperimentRun.SimulateAsync(fixture.World, fixture.Arms, Options with { Seed = 4 }, fixture.NewFolder("state"));
        Assert.NotEqual(Summaries(first), Summaries(other));
    }

    [Fact]
    public async Task Users_sit_in_their_hashed_arm()
    {
        var (outcomes, _) = await ExperimentRun.SimulateAsync(fixture.World, fixture.Arms, Options with { Users = 40 }, fixture.NewFolder("state"));
        var assignment = new ArmAssignment([1, 1], $"funnel-experiment-{Options.Seed}");
        Assert.All(outcomes, o => Assert.Equal(assignment.ArmOf(o.UserId), o.Arm));
        Assert.Contains(outcomes, o => o.Arm == 0);
        Assert.Contains(outcomes, o => o.Arm == 1);
    }

    [Fact]
    public async Task A_fresh_source_arm_shows_uploads_its_model_never_saw_and_none_before_its_upload_time()
    {
        var control = fixture.Arms[0];
        var arms = new[] { control, control with { Name = DefaultArms.FreshSource, FreshUploads = true } };

        var (outcomes, _) = await ExperimentRun.SimulateAsync(fixture.World, arms, Options, fixture.NewFolder("state"));

        Assert.Equal(0, outcomes.Where(o => o.Arm == 0).Sum(o => o.FreshSourceImpressions));
        Assert.True(outcomes.Where(o => o.Arm == 1).Sum(o => o.FreshSourceImpressions) > 0, "the fresh source reached the slates");
        var videos = fixture.World.Dataset.Videos;
        Assert.All(outcomes.SelectMany(o => o.LoggedImpressions), m => Assert.True(videos[m.Video].UploadTime <= m.Time, $"{videos[m.Video].Id} shown before its upload"));
    }

    [Fact]
    public async Task The_optional_default_arms_train_the_rankers_they_name_on_the_controls_candidate_model()
    {
        var logged = Path.Combine(Path.GetDirectoryName(fixture.Data)!, "logged");
        var training = ExperimentFixture.TinyTraining with { ContinuationArm = true, ListsArm = true, FreshSourceArm = true, SourcesArm = true, SourceFeaturesArm = true };

        var arms = await DefaultArms.TrainAsync(logged, fixture.NewFolder("arms"), training, seed: 1, log: null, CancellationToken.None);

        Assert.Equal([DefaultArms.WatchTime, DefaultArms.Clicks, DefaultArms.Continuation, DefaultArms.CandidateLists, DefaultArms.Sources, DefaultArms.SourceFeatures, DefaultArms.FreshSource], arms.Select(a => a.Name));
        Assert.Equal(ImpressionWeighting.WatchTimeAndContinuation, RankingModelFolder.ReadStage(arms[2].ModelFolder).Manifest.Training.Weighting);
        var lists = RankingModelFolder.ReadStage(arms[3].ModelFolder).Manifest.Training;
        Assert.True(lists.CandidateLists);
        Assert.Equal(ImpressionWeighting.WatchTime, lists.Weighting);
        Assert.True(RankingModelFolder.ReadStage(arms[4].ModelFolder).Manifest.UsesSourceFeatures);
        Assert.Equal(DefaultArms.SourcesArmSources, arms[4].Sources);
        using (var served = await ServingModel.LoadAsync(arms[4].ModelFolder))
        {
            Assert.NotEmpty(served.Sources.CoVisits);
        }
        Assert.All(arms.Take(4), a => Assert.Null(a.Sources));
        // On logged impressions the default ranker leaves the source features out; the source-features arm has them.
        Assert.False(RankingModelFolder.ReadStage(arms[0].ModelFolder).Manifest.UsesSourceFeatures);
        Assert.True(RankingModelFolder.ReadStage(arms[5].ModelFolder).Manifest.UsesSourceFeatures);
        Assert.Equal(arms[0].ModelFolder, arms[6].ModelFolder);
        Assert.True(arms[6].FreshUploads);
        Assert.DoesNotContain(arms.Take(6), a => a.FreshUploads);
    }

    [Fact]
    public async Task The_loop_feeds_events_back_so_later_slates_leave_out_what_was_watched()
    {
        var arm = fixture.Arms[0];
        await using var service = await ArmService.StartAsync(arm, fixture.NewFolder("store"), 300, CancellationToken.None);
        var loop = new ClosedLoop(fixture.World, Options.Seed, Options.SlateSize, Options.MaxSlatesPerSession);
        var watched = Enumerable.Range(0, 60)
            .Select(user => (user, outcome: loop.RunAsync(service, user, 0, CancellationToken.None).GetAwaiter().GetResult()))
            .Where(p => p.outcome.Watched.Count > 0)
            .ToList();
        Assert.NotEmpty(watched);
        foreach (var (user, outcome) in watched.Take(5))
        {
            var later = fixture.World.Start + (fixture.World.Days * 86_400L) + 3_600;
            var slate = await service.RecommendAsync(outcome.UserId, 50, fixture.World.Context(user), later, CancellationToken.None);
            Assert.NotEmpty(slate.Items);
            Assert.DoesNotContain(slate.Items, item => outcome.Watched.Contains(item.VideoId));
        }
    }

    [Fact]
    public void A_viewer_clicks_and_watches_as_the_world_would()
    {
        var world = fixture.World;
        var outcome = new UserOutcome(0, world.Dataset.Users[0].Id, 0, world.Days);
        var viewer = new Viewer(world, outcome, new Random(2));
        var items = world.Dataset.Videos.Take(6).Select((v, i) => new Funnel.Serving.Contracts.RecommendedItem(v.Id, 1, "candidates", i + 1, ["candidates"])).ToList();
        var reaction = viewer.React(items, world.Start, 0);
        Assert.Equal(6, reaction.Events.Count(e => e.Type == "impression"));
        Assert.Equal([0, 1, 2, 3, 4, 5], reaction.Events.Where(e => e.Type == "impression").Select(e => e.Position!.Value));
        var watches = reaction.Events.Where(e => e.Type == "watch").ToList();
        Assert.Equal(reaction.Clicks, watches.Count);
        Assert.Equal(reaction.Events.Count(e => e.Clicked == true), watches.Count);
        Assert.All(watches, w => Assert.InRange(w.WatchSeconds!.Value, 1, world.Dataset.Videos[world.VideoIndex[w.VideoId!]].DurationSeconds));
        Assert.Equal(watches.Sum(w => w.WatchSeconds!.Value), outcome.DailyWatchSeconds[0], 3);
        Assert.Equal(6, outcome.Impressions);
        Assert.Throws<InvalidOperationException>(() => viewer.React([new Funnel.Serving.Contracts.RecommendedItem("no-such-video", 1, "candidates", 1, ["candidates"])], world.Start, 0));
    }

    [Fact]
    public async Task A_world_without_enough_logs_is_refused()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => ExperimentWorld.OpenAsync(fixture.Data, days: 5));
        Assert.Contains("at least 7", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Daily_retraining_trains_each_arm_on_its_own_users_events_and_swaps_it_in()
    {
        var folder = fixture.NewFolder("retrain");
        var (outcomes, _) = await ExperimentRun.SimulateAsync(fixture.World, fixture.Arms, Options with { Users = 40, RetrainDaily = true }, folder);

        foreach (var (arm, a) in fixture.Arms.Select((arm, a) => (arm, a)))
        {
            // Two simulated days: one retrain, after the first.
            var data = await Dataset.OpenAsync(Path.Combine(folder, "retrained", "data", $"{arm.Name}-day1"));
            var watches = await data.ReadWatchesAsync().FlattenAsync();
            var experimentWatches = watches.Where(w => w.Time >= fixture.World.Start).ToList();
            var expected = outcomes.Where(o => o.Arm == a).SelectMany(o => o.LoggedWatches).Where(w => w.Time < fixture.World.Start + 86_400).Count();
            Assert.Equal(fixture.World.Watches.Count, watches.Count - experimentWatches.Count);
            Assert.InRange(experimentWatches.Count, expected, outcomes.Where(o => o.Arm == a).Sum(o => o.LoggedWatches.Count));
            Assert.DoesNotContain(experimentWatches, w => outcomes[w.User].Arm != a);
            Assert.True(File.Exists(Path.Combine(folder, "retrained", "arms", $"{arm.Name}-day1", "ranking", "ranking.json")));
        }
        Assert.True(outcomes.Sum(o => o.Slates) > 0);
    }

    [Fact]
    public async Task Arms_the_experiment_did_not_train_cannot_be_retrained()
    {
        Arm[] given = [new("a", fixture.Arms[0].ModelFolder), new("b", fixture.Arms[1].ModelFolder)];
        var error = await Assert.ThrowsAsync<ArgumentException>(() => ExperimentRun.SimulateAsync(fixture.World, given, Options with { RetrainDaily = true }, fixture.NewFolder("state")));
        Assert.Contains("cannot be retrained", error.Message, StringComparison.Ordinal);
    }

    private static List<string> Summaries(List<UserOutcome> outcomes) =>
        [.. outcomes.Select(o => $"{o.UserId} arm {o.Arm} sessions {o.Sessions} slates {o.Slates} clicks {o.Clicks} watch {string.Join('/', o.DailyWatchSeconds)} shown {string.Join(',', o.Shown.Order(StringComparer.Ordinal))}")];
}
