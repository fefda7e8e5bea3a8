using Funnel.Data.Examples;
using Funnel.Data.Model;

namespace Funnel.Data.Tests.Examples;

public sealed class CandidateBatchBuilderTests
{
    [Fact]
    public async Task Bags_skip_out_of_vocabulary_ids_and_queries_have_example_age_zero()
    {
        // User 0 (age 20): v0@0, v1@1, v2@2 (v2 only ever watched here → the validation/test side), search "x y"@1.
        // User 1 (age 21): v0@0, v1@5.
        var timelines = await TinyTimelines.LoadAsync(2, 4,
            [new(0, 0, 0, 1f, 1f), new(0, 1, 1, 1f, 1f), new(0, 2, 2, 1f, 1f), new(1, 0, 0, 1f, 1f), new(1, 1, 5, 1f, 1f)],
            [new(0, 1, "x y")]);
        var split = DataSplit.Create(timelines, new SplitOptions(SplitKind.LeaveLastOut), new ExampleOptions());
        var builder = new CandidateBatchBuilder(split);
        var batch = new CandidateBatch(4, expectedBagLength: 1);

        builder.FillQueries(split.Test, [0], batch);

        // Leave-last-out: user 0 holds out v2@2 (test) and v1@1 (validation), user 1 v1@5 and v0@0,
        // so the training side is just user 0's v0@0: v1 and the search at t=1 are out of vocabulary.
        // User 0's test query at t=2 therefore has the bag [v0] (v1 skipped) and no tokens.
        Assert.Equal(1, batch.Count);
        Assert.Equal(Vocabulary.OutOfVocabulary, split.Videos.RowOf(1));
        Assert.Equal(new long[] { split.Videos.RowOf(0) }, batch.WatchRows[..batch.WatchRowCount]);
        Assert.Equal(0, batch.TokenRowCount);
        Assert.Equal(0f, batch.Dense[3]);
        Assert.Equal(0.2f, batch.Dense[0], 6);
        Assert.Equal(0.04f, batch.Dense[1], 6);
        Assert.Equal((long)Gender.Female, batch.Genders[0]);

        builder.FillTraining(Enumerable.Range(0, split.Train.Count).ToArray(), batch);

        Assert.Equal(1, batch.Count);
        Assert.Equal(0, batch.WatchRowCount);
        Assert.Equal(split.Videos.RowOf(0), batch.Labels[0]);
        Assert.True(batch.Dense[3] > 0f);
    }

    [Fact]
    public async Task Search_tokens_of_earlier_searches_fill_the_token_bag()
    {
        // Search "x y"@1 precedes every label after it; user 0's training label v1@5 sees x, y and "x y".
        var timelines = await TinyTimelines.LoadAsync(1, 4,
            [new(0, 0, 0, 1f, 1f), new(0, 1, 5, 1f, 1f), new(0, 2, 6, 1f, 1f), new(0, 3, 7, 1f, 1f)],
            [new(0, 1, "x y")]);
        var split = DataSplit.Create(timelines, new SplitOptions(SplitKind.LeaveLastOut), new ExampleOptions());
        var batch = new CandidateBatch(4, expectedBagLength: 1);

        new CandidateBatchBuilder(split).FillTraining([1], batch);

        Assert.Equal(split.Videos.RowOf(1), batch.Labels[0]);
        Assert.Equal(3, batch.TokenRowCount);
        Assert.Equal(new long[] { split.Videos.RowOf(0) }, batch.WatchRows[..batch.WatchRowCount]);
    }

    [Fact]
    public async Task Training_batches_cover_every_example_once_per_epoch_in_a_seeded_order()
    {
        var watches = Enumerable.Range(0, 30).Select(t => new Watch(t % 3, t % 7, t, 1f, 1f));
        var timelines = await TinyTimelines.LoadAsync(3, 7, watches);
        var split = DataSplit.Create(timelines, new SplitOptions(SplitKind.LeaveLastOut), new ExampleOptions());
        var builder = new CandidateBatchBuilder(split);
        List<(int User, long Label)> Epoch(int epoch) =>
            builder.TrainingBatches(4, epoch).SelectMany(b => Enumerable.Range(0, b.Count).Select(i => (b.Users[i], b.Labels[i])).ToArray()).ToList();

        var first = Epoch(0);

        Assert.Equal(split.Train.Count, first.Count);
        Assert.Equal(first, Epoch(0));
        Assert.NotEqual(first, Epoch(1));
        Assert.Equal(first.Order(), Epoch(1).Order());
    }

    [Fact]
    public void Raw_examples_skip_out_of_vocabulary_rows_and_normalise_features_like_the_builder()
    {
        var batch = new CandidateBatch(2, expectedBagLength: 1);

        batch.Add([3, 0, 5], [0, 7], label: 0, region: 2, device: 1, language: 1, gender: 2, ageYears: 25, exampleAge: 0.0);
        batch.Add([], [], label: 4, region: 0, device: 0, language: 0, gender: 0, ageYears: 0, exampleAge: 0.25);

        Assert.Equal(2, batch.Count);
        Assert.Equal(new long[] { 3, 5 }, batch.WatchRows[..batch.WatchRowCount]);
        Assert.Equal(new long[] { 0, 2 }, batch.WatchOffsets[..2]);
        Assert.Equal(new long[] { 7 }, batch.TokenRows[..batch.TokenRowCount]);
        // Age 25 → 0.25, 0.0625, 0.5; example age 0.25 → 0.25, 0.0625, 0.5.
        Assert.Equal(new float[] { 0.25f, 0.0625f, 0.5f, 0f, 0f, 0f, 0f, 0f, 0f, 0.25f, 0.0625f, 0.5f }, batch.Dense[..12]);
    }

    [Fact]
    public void A_full_batch_refuses_another_example()
    {
        var batch = new CandidateBatch(1);
        batch.Add([], [], 0, 0, 0, 0, 0, 0, 0);

        var error = Assert.Throws<InvalidOperationException>(() => batch.Add([], [], 0, 0, 0, 0, 0, 0, 0));

        Assert.Equal("the batch is full (1 examples)", error.Message);
    }
}
