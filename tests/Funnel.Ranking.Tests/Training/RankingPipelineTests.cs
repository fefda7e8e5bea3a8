using Funnel.Candidates.Inference;
using Funnel.Core;
using Funnel.Data.Storage;
using Funnel.Ranking.Examples;
using Funnel.Ranking.Features;
using Funnel.Ranking.Inference;
using Funnel.Ranking.Training;
using Funnel.Runs.Ranking;

namespace Funnel.Ranking.Tests.Training;

public sealed class RankingPipelineTests(RankingWorld world) : IClassFixture<RankingWorld>
{
    private static readonly RankingRunOptions Options = new(new RankingTrainingOptions(Epochs: 2, BatchSize: 128, Seed: 4), Tower: [32, 16], HoldoutFraction: 0.25);

    [Fact]
    public async Task The_same_seed_gives_the_same_ranker_and_metrics()
    {
        var first = world.NewFolder("a");
        var second = world.NewFolder("b");
        world.CopyCandidatesTo(first);
        world.CopyCandidatesTo(second);

        var a = await RankingTrainingRun.RunAsync(world.Data, first, Options);
        var b = await RankingTrainingRun.RunAsync(world.Data, second, Options);

        Assert.Equal(a.TestMetrics, b.TestMetrics);
        Assert.Equal(a.History.Select(h => h.Loss), b.History.Select(h => h.Loss));
        Assert.Equal(File.ReadAllBytes(Path.Combine(first, "ranking", "network.bin")), File.ReadAllBytes(Path.Combine(second, "ranking", "network.bin")));
    }

    [Fact]
    public async Task A_saved_ranker_evaluates_as_when_trained_and_serving_state_scores_like_the_training_log()
    {
        var folder = world.NewFolder("model");
        world.CopyCandidatesTo(folder);
        var manifest = await RankingTrainingRun.RunAsync(world.Data, folder, Options);

        var evaluation = await RankingEvaluationRun.RunAsync(world.Data, folder);

        Assert.NotNull(manifest.CandidateModelVersion);
        Assert.Contains("candidate_score", manifest.ContinuousFeatures);
        Assert.Equal(manifest.TestMetrics, evaluation.Results.Where(r => r.Config == "32-16"));
        Assert.Contains(evaluation.Results, r => r.Config == "candidate-score");
        var (catalogue, popular) = await RankingModelFolder.ReadCatalogueAsync(folder);
        Assert.Equal((await Dataset.OpenAsync(world.Data)).Videos, catalogue);
        Assert.InRange(popular.Length, 1, RankingData.PopularVideos);
        Assert.InRange(manifest.TestMetrics.Single(m => m.Metric == "weighted_per_user_loss").Value, 0, 0.5);

        // Serving: a fresh state fed the user's raw events before each impression, then the same
        // encoder and network through RankingModel, must score as the training path did.
        var dataset = await Dataset.OpenAsync(world.Data);
        var data = await RankingData.PrepareAsync(world.Data, folder, manifest.HoldoutFraction);
        using var model = RankingModel.Load(folder);
        var watches = await dataset.ReadWatchesAsync().FlattenAsync();
        var searches = await dataset.ReadSearchesAsync().FlattenAsync();
        var impressions = await dataset.ReadImpressionsAsync().FlattenAsync();
        var facts = RankingExampleBuilder.Facts(dataset.Videos);
        var checkedRows = data.TestRows.Where((_, i) => i % 37 == 0).ToList();
        foreach (var row in checkedRows)
        {
            var example = data.Examples[row];
            var state = ServingState.Before(example.User, example.Time, watches, searches, impressions, facts);
            var video = dataset.Videos[example.Video];
            var user = dataset.Users[example.User];
            var serving = new RankingInput(
                video.Id, video.Channel, video.Language, video.UploadTime, video.DurationSeconds, user.Language, user.Device, user.Region,
                [.. state.RecentWatches.Select(v => dataset.Videos[v].Id)],
                state.CountersFor(example.Video, facts[example.Video].Channel, facts[example.Video].Topics, example.Time),
                example.Nomination,
                example.Time,
                example.Signals);
            var training = RankingInputs.From(example, dataset);

            Assert.Equal(model.Logits([training]), model.Logits([serving]));
        }
        Assert.NotEmpty(checkedRows);
    }

    [Fact]
    public async Task A_ranker_with_source_features_reads_at_serving_what_it_learnt_from_the_held_out_log()
    {
        var folder = world.NewFolder("sources");
        world.CopyCandidatesTo(folder);
        var manifest = await RankingTrainingRun.RunAsync(world.Data, folder, Options with { SourceFeatures = true });

        var evaluation = await RankingEvaluationRun.RunAsync(world.Data, folder);

        Assert.True(manifest.UsesSourceFeatures);
        Assert.Contains("covisit_score", manifest.ContinuousFeatures);
        Assert.Contains("regional_watches", manifest.ContinuousFeatures);
        Assert.Equal(manifest.TestMetrics, evaluation.Results.Where(r => r.Config == "32-16"));
        // Held-out impressions come after every counted watch: the saved tables give the same signals.
        var data = await RankingData.PrepareAsync(world.Data, folder, manifest.HoldoutFraction, sourceFeatures: true);
        var tables = RankingModelFolder.ReadSources(folder);
        var dataset = data.Dataset;
        var held = data.TestRows.Select(r => data.Examples[r]).ToList();
        foreach (var example in held.Where((_, i) => i % 11 == 0))
        {
            var recent = example.State.RecentWatches.Select(v => dataset.Videos[v].Id).ToList();
            var signals = tables.SignalsFor(recent, dataset.Users[example.User].Region)(dataset.Videos[example.Video].Id);
            Assert.Equal(signals, example.Signals);
        }
        Assert.Contains(held, e => e.Signals.CoVisitScore > 0);
        Assert.Contains(held, e => e.Signals.RegionalWatches > 0);
    }

    [Fact]
    public async Task Candidate_nominations_are_the_candidate_models_scores_and_ranks()
    {
        var data = await RankingData.PrepareAsync(world.Data, world.CandidateModel, 0.25);
        using var candidates = CandidateModel.Load(world.CandidateModel);
        using var vectors = candidates.Network.ServingVideoVectors();
        var table = vectors.data<float>().ToArray();
        var dimension = candidates.Manifest.Network.EmbeddingDimension;
        var rowOf = Enumerable.Range(1, candidates.VideoIds.Count - 1).ToDictionary(r => candidates.VideoIds[r]);
        var dataset = data.Dataset;

        foreach (var example in data.Examples.Where((_, i) => i % 53 == 0))
        {
            var user = dataset.Users[example.User];
            var u = candidates.UserVectors([new UserHistory([.. example.State.RecentWatches.Select(v => dataset.Videos[v].Id)], example.State.RecentSearches, user.Region, user.Device, user.Language, (int)user.Gender, user.Age)]);
            var scores = Enumerable.Range(1, candidates.VideoIds.Count - 1).Select(r => Dot(u, table.AsSpan(r * dimension, dimension))).ToArray();
            if (rowOf.TryGetValue(dataset.Videos[example.Video].Id, out var row))
            {
                var score = Dot(u, table.AsSpan(row * dimension, dimension));
                Assert.Equal(score, example.Nomination.Score, 3);
                // Rank = 1 + videos scoring higher; float rounding may order near-ties either way.
                Assert.InRange(example.Nomination.Rank, 1 + scores.Count(s => s > score + 1e-4f), 1 + scores.Count(s => s > score - 1e-4f));
            }
            else
            {
                Assert.Equal(candidates.VideoIds.Count, example.Nomination.Rank);
            }
        }
    }

    [Fact]
    public async Task Broken_ranking_folders_are_refused_with_the_file_named()
    {
        var folder = world.NewFolder("broken");
        await RankingTrainingRun.RunAsync(world.Data, folder, Options with { CandidateFeatures = false });
        var manifestPath = Path.Combine(folder, "ranking", RankingManifest.FileName);
        var videosPath = Path.Combine(folder, "ranking", "videos.txt");

        var missing = Assert.Throws<DataFormatException>(() => RankingModel.Load(world.NewFolder("empty")));
        var lines = File.ReadAllLines(videosPath);
        File.WriteAllLines(videosPath, lines[..^1]);
        // The manifest's checksums catch the shortened file before its row count is read.
        var truncated = Assert.Throws<InvalidDataException>(() => RankingModel.Load(folder));
        File.WriteAllLines(videosPath, lines);
        File.WriteAllText(manifestPath, "{ not json");
        var garbled = Assert.Throws<DataFormatException>(() => RankingModel.Load(folder));

        Assert.Contains("funnel train ranking", missing.Message, StringComparison.Ordinal);
        Assert.Contains("videos.txt", truncated.Message, StringComparison.Ordinal);
        Assert.Contains("truncated", truncated.Message, StringComparison.Ordinal);
        Assert.Contains(RankingManifest.FileName, garbled.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetDirectories(folder, ".ranking.tmp-*").Concat(Directory.GetDirectories(folder, ".ranking.old-*")));
    }

    private static float Dot(float[] u, ReadOnlySpan<float> v)
    {
        var sum = 0f;
        for (var i = 0; i < v.Length; i++)
        {
            sum += u[i] * v[i];
        }
        return sum;
    }
}
