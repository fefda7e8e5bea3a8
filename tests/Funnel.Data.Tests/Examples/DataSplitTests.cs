using Funnel.Data.Examples;
using Funnel.Data.Model;

namespace Funnel.Data.Tests.Examples;

public sealed class DataSplitTests
{
    [Fact]
    public async Task Leave_last_out_matches_a_hand_worked_timeline()
    {
        // User 0: v0@10 (done), v1@20 (half: not a positive), v2@20 (done), v3@30 (done).
        // Searches "a b"@15, "c"@20.
        var timelines = await TinyTimelines.LoadAsync(1, 4,
            [new(0, 0, 10, 100, 1f), new(0, 1, 20, 50, 0.5f), new(0, 2, 20, 90, 0.9f), new(0, 3, 30, 100, 1f)],
            [new(0, 15, "a b"), new(0, 20, "c")]);

        var split = DataSplit.Create(timelines, new SplitOptions(SplitKind.LeaveLastOut), new ExampleOptions());

        // Test holds out v3 as of t=30: history v0, v1, v2 (all before 30), both searches.
        Assert.Equal([30L], split.Test.Cutoff);
        Assert.Equal([3], split.Test.TruthOf(0).ToArray());
        Assert.Equal(3, split.Test.HistoryEnd[0]);
        Assert.Equal(2, split.Test.SearchEnd[0]);
        // Validation holds out v2 as of t=20: v1 also happened at 20, so it is not "strictly before".
        Assert.Equal([2], split.Validation.TruthOf(0).ToArray());
        Assert.Equal(1, split.Validation.HistoryEnd[0]);
        Assert.Equal(1, split.Validation.SearchEnd[0]);
        // Training: only v0@10, with an empty history.
        Assert.Equal([0], split.Train.Label);
        Assert.Equal([0], split.Train.HistoryEnd);
        Assert.Equal([0], split.Train.SearchEnd);
    }

    [Fact]
    public async Task Last_interaction_holds_out_the_last_two_events_in_file_order_whatever_their_completion()
    {
        // User 0 (file order): v0@10 (done), v1@20 (half), v2@20 (done), v3@20 (a tenth): three ties at t=20.
        // User 1: v0@5 only (one interaction: nothing to hold out). User 2: v1@1, v2@2 (test only).
        var timelines = await TinyTimelines.LoadAsync(3, 4,
            [new(0, 0, 10, 100, 1f), new(0, 1, 20, 50, 0.5f), new(0, 2, 20, 90, 0.9f), new(0, 3, 20, 10, 0.1f), new(1, 0, 5, 100, 1f), new(2, 1, 1, 100, 1f), new(2, 2, 2, 100, 1f)],
            [new(0, 15, "a b"), new(0, 20, "c")]);

        var split = DataSplit.Create(timelines, new SplitOptions(SplitKind.LastInteraction), new ExampleOptions());

        // Test: user 0's last row v3 (not completed, still the label), its history every row before it in
        // file order, ties at t=20 included; searches strictly before t=20. User 2's v2 after v1.
        Assert.Equal([0, 2], split.Test.User);
        Assert.Equal([3], split.Test.TruthOf(0).ToArray());
        Assert.Equal(3, split.Test.HistoryEnd[0]);
        Assert.Equal(1, split.Test.SearchEnd[0]);
        Assert.Equal([2], split.Test.TruthOf(1).ToArray());
        // Validation: user 0's v2, its history v0 and v1 (a tie before it in the file); user 2 has too few rows.
        Assert.Equal([0], split.Validation.User);
        Assert.Equal([2], split.Validation.TruthOf(0).ToArray());
        Assert.Equal(2, split.Validation.HistoryEnd[0]);
        // Training: every remaining interaction is a label (v1 half-watched too), each seeing the rows before it.
        Assert.Equal([0, 1, 4, 5], split.Train.Label);
        Assert.Equal([0, 1, 4, 5], split.Train.HistoryEnd);
        Assert.Equal(2, split.TrainingWatchEndOf(0));
        Assert.Equal(5, split.TrainingWatchEndOf(1));
        Assert.Equal(6, split.TrainingWatchEndOf(2));
        // The held-out rows never reach the vocabulary: v3 is only ever user 0's test label.
        Assert.Equal(Vocabulary.OutOfVocabulary, split.Videos.RowOf(3));
    }

    [Fact]
    public async Task A_lower_label_threshold_adds_training_labels_and_leaves_the_queries_alone()
    {
        // User 0: v0@10 (done), v1@12 (a fifth: not completed), v2@20 (done), v3@30 (done).
        var timelines = await TinyTimelines.LoadAsync(1, 4,
            [new(0, 0, 10, 100, 1f), new(0, 1, 12, 20, 0.2f), new(0, 2, 20, 90, 0.9f), new(0, 3, 30, 100, 1f)]);

        var completed = DataSplit.Create(timelines, new SplitOptions(SplitKind.LeaveLastOut), new ExampleOptions());
        var every = DataSplit.Create(timelines, new SplitOptions(SplitKind.LeaveLastOut), new ExampleOptions(LabelThreshold: 0f));

        Assert.Equal([0], completed.Train.Label);
        Assert.Equal([0, 1], every.Train.Label.Order());
        Assert.Equal(completed.Test.TruthOf(0).ToArray(), every.Test.TruthOf(0).ToArray());
        Assert.Equal(completed.Validation.TruthOf(0).ToArray(), every.Validation.TruthOf(0).ToArray());
    }

    [Fact]
    public async Task Temporal_split_cuts_at_watch_quantiles_and_holds_out_new_completed_watches()
    {
        // Ten watches of user 0 at t = 0..9 of videos 0..9 (v5 again at t=9); validation 20%, test 20%.
        var watches = Enumerable.Range(0, 9).Select(t => new Watch(0, t, t, 1f, 1f)).Append(new Watch(0, 5, 9, 1f, 1f));
        var timelines = await TinyTimelines.LoadAsync(1, 10, watches);

        var split = DataSplit.Create(timelines, new SplitOptions(SplitKind.Temporal, 0.2, 0.2), new ExampleOptions());

        Assert.Equal(6, split.ValidationStart);
        Assert.Equal(8, split.TestStart);
        Assert.Equal([0, 1, 2, 3, 4, 5], split.Train.Label);
        Assert.Equal([6, 7], split.Validation.TruthOf(0).ToArray());
        // The re-watch of v5 at t=9 is not new at the test cutoff: only v8 is truth.
        Assert.Equal([8], split.Test.TruthOf(0).ToArray());
        // Vocabulary only from the training side: v6..v9 are out of vocabulary.
        Assert.Equal(Vocabulary.OutOfVocabulary, split.Videos.RowOf(7));
        Assert.NotEqual(Vocabulary.OutOfVocabulary, split.Videos.RowOf(5));
    }

    [Fact]
    public async Task Caps_examples_per_user_reproducibly()
    {
        var watches = Enumerable.Range(0, 40).Select(t => new Watch(0, t % 10, t, 1f, 1f))
            .Concat(Enumerable.Range(0, 3).Select(t => new Watch(1, t, t, 1f, 1f)));
        var timelines = await TinyTimelines.LoadAsync(2, 10, watches);
        DataSplit Make(int seed) => DataSplit.Create(timelines, new SplitOptions(SplitKind.LeaveLastOut), new ExampleOptions(MaxExamplesPerUser: 5, Seed: seed));

        var first = Make(1);

        Assert.Equal(5, first.Train.User.Count(u => u == 0));
        Assert.Equal(1, first.Train.User.Count(u => u == 1));
        Assert.Equal(first.Train.Label, Make(1).Train.Label);
        Assert.NotEqual(first.Train.Label, Make(2).Train.Label);
    }

    [Fact]
    public async Task Data_without_completion_uses_every_watch_by_default_and_none_when_told()
    {
        var timelines = await TinyTimelines.LoadAsync(1, 4, Enumerable.Range(0, 4).Select(t => new Watch(0, t, t, float.NaN, float.NaN)));

        var proxy = DataSplit.Create(timelines, new SplitOptions(SplitKind.LeaveLastOut), new ExampleOptions());
        var strict = DataSplit.Create(timelines, new SplitOptions(SplitKind.LeaveLastOut), new ExampleOptions(UnknownCompletionIsPositive: false));

        Assert.Equal(2, proxy.Train.Count);
        Assert.Equal(0, strict.Train.Count);
        Assert.Equal(0, strict.Test.Count);
    }
}
