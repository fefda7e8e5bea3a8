using Funnel.Candidates.Model;
using Funnel.Data.Examples;
using Funnel.Data.Storage;
using Funnel.Data.Synthetic;
using Funnel.Runs.Candidates;

namespace Funnel.Runs.Tests.Candidates;

public sealed class TuneRunTests
{
    [Fact]
    public void The_search_starts_with_the_sequence_recipe_and_the_papers_network_and_repeats_for_a_seed()
    {
        var trials = TuneSpace.Trials(6, seed: 2);

        Assert.Equal(TuneRecipe.Default, trials[0]);
        Assert.Equal(TuneRecipe.Paper, trials[1]);
        Assert.Equal([TuneRecipe.Default], TuneSpace.Trials(1, seed: 2));
        Assert.Equal(6, trials.Distinct().Count());
        Assert.Equal(trials, TuneSpace.Trials(6, seed: 2));
        Assert.NotEqual(trials, TuneSpace.Trials(6, seed: 3));
    }

    [Fact]
    public async Task Trials_never_read_the_test_split()
    {
        // Two datasets alike but for each user's last interaction, which the last-interaction split holds out
        // for test: the trials must see the same thing and choose the same recipe.
        using var temp = new TempFolder();
        await WorldGenerator.GenerateAsync(new WorldOptions(Users: 200, Videos: 400, Days: 7, Seed: 5), temp.Combine("a"));
        var a = await Dataset.OpenAsync(temp.Combine("a"));
        await WriteWithOtherLastInteractionsAsync(a, temp.Combine("b"));
        var split = new SplitOptions(SplitKind.LastInteraction);

        var first = await TuneRun.SearchAsync(temp.Combine("a"), split, trials: 2, seed: 1, epochs: 2);
        var second = await TuneRun.SearchAsync(temp.Combine("b"), split, trials: 2, seed: 1, epochs: 2);

        Assert.Equal(first.Trials.Select(t => (t.Recipe, t.Validation, t.BestEpoch, t.Epochs)), second.Trials.Select(t => (t.Recipe, t.Validation, t.BestEpoch, t.Epochs)));
        Assert.Equal(first.Chosen, second.Chosen);
        Assert.All(first.Trials, t => Assert.True(t.Validation > 0, $"trial {t.Trial} learned nothing"));
        // The test sides do differ.
        var testA = DataSplit.Create(await TimelineLoader.LoadAsync(a), split, new ExampleOptions()).Test;
        var testB = DataSplit.Create(await TimelineLoader.LoadAsync(await Dataset.OpenAsync(temp.Combine("b"))), split, new ExampleOptions()).Test;
        Assert.NotEqual(testA.Truth, testB.Truth);
    }

    [Fact]
    public async Task The_chosen_recipe_is_trained_into_a_model_folder_that_keeps_the_trials()
    {
        using var temp = new TempFolder();
        await WorldGenerator.GenerateAsync(new WorldOptions(Users: 150, Videos: 300, Days: 7, Seed: 6), temp.Combine("world"));

        var (report, manifest) = await TuneRun.RunAsync(temp.Combine("world"), temp.Combine("model"), new SplitOptions(SplitKind.LeaveLastOut), trials: 2, seed: 1, epochs: 1);

        var chosen = report.Trials[report.Chosen].Recipe;
        Assert.Equal(chosen.Dimension, manifest.Network.EmbeddingDimension);
        Assert.Equal(chosen.TiedTables, manifest.Network.TiedVideoTables);
        Assert.Equal(chosen.History, manifest.Examples.MaxWatchHistory);
        Assert.Equal("ndcg", manifest.Training.ValidationMetric);
        // The folder holds the chosen trial's own network, not a second training of its recipe.
        Assert.Equal(report.Trials[report.Chosen].BestEpoch, manifest.BestEpoch);
        Assert.Equal(report.Trials[report.Chosen].Validation, manifest.History[manifest.BestEpoch - 1].Validation);
        Assert.True(File.Exists(Path.Combine(temp.Combine("model"), "model.json")));
        var trials = await File.ReadAllTextAsync(Path.Combine(temp.Combine("model"), TuneRun.TuneFolder, "trials.md"));
        Assert.Contains(chosen.Flags(), trials, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(temp.Combine("model"), TuneRun.TuneFolder, "trials.json")));
    }

    [Fact]
    public void The_papers_network_is_what_train_candidates_trains_by_default()
    {
        var paper = TuneRecipe.Paper;
        var shape = paper.Shape(fullSoftmax: false);

        Assert.Equal(HistoryEncoderKind.Mean, shape.Encoder);
        Assert.Equal(CandidateNetworkOptions.PaperTower, shape.Tower);
        Assert.Equal(new NetworkShape().EmbeddingDimension, shape.EmbeddingDimension);
        Assert.True(shape.SparseTables);
        Assert.False(paper.Training(seed: 1, epochs: 5).UsesFullSoftmax(videos: 10));
        Assert.Equal(new ExampleOptions().MaxExamplesPerUser, paper.Examples(seed: 1).MaxExamplesPerUser);
        Assert.Null(paper.Examples(seed: 1).LabelThreshold);
        Assert.StartsWith("--encoder mean --tower 1024,512,256 --dim 256 ", paper.Flags(), StringComparison.Ordinal);
    }

    /// <summary>A copy of the dataset in which the last interaction (in file order) of every user with two or more is of another video.</summary>
    private static Task WriteWithOtherLastInteractionsAsync(Dataset source, string path) =>
        DatasetCopies.WriteWithoutImpressionsAsync(source, path, "b", watches => watches.Select((watch, i) =>
        {
            // A user's only interaction stays: it is training data, not a test label.
            var last = (i + 1 == watches.Count || watches[i + 1].User != watch.User) && i > 0 && watches[i - 1].User == watch.User;
            return last ? watch with { Video = (watch.Video + 1) % source.Videos.Count } : watch;
        }));
}
