using Funnel.Data.Examples;
using Funnel.Data.Tests.Synthetic;

namespace Funnel.Data.Tests.Examples;

public sealed class TrainingSequencesTests(SmallWorld world) : IClassFixture<SmallWorld>
{
    [Theory]
    [InlineData(50, null)]
    [InlineData(7, 3)]
    [InlineData(7, 7)]
    public async Task Each_example_reads_the_newest_watches_of_its_own_history_at_its_window_position(int length, int? stride)
    {
        var timelines = await TimelineLoader.LoadAsync(world.Dataset);
        var split = DataSplit.Create(timelines, new SplitOptions(SplitKind.LeaveLastOut), new ExampleOptions(MaxWatchHistory: length, LabelThreshold: 0f));
        var sequences = TrainingSequences.Create(split, length, stride);
        var least = length - (stride ?? (length + 1) / 2) + 1;
        var builder = new CandidateBatchBuilder(split);
        var bag = new CandidateBatch(1, length);
        var seen = new int[split.Train.Count];
        var cut = 0;

        for (var w = 0; w < sequences.Count; w++)
        {
            var window = sequences.Rows.AsSpan(w * length, length);
            for (var i = sequences.WindowExampleStart[w]; i < sequences.WindowExampleStart[w + 1]; i++)
            {
                var e = sequences.Examples[i];
                seen[e]++;
                builder.FillTraining([e], bag);
                var own = bag.WatchRows.AsSpan(0, bag.WatchRowCount);
                var position = sequences.Positions[i];
                if (position < 0)
                {
                    Assert.Equal(0, own.Length);
                    continue;
                }
                var read = window[..(position + 1)].ToArray().Where(row => row != 0).ToArray();
                // The window holds the history's newest watches: all of them, or at least Length − stride + 1.
                Assert.True(read.Length <= own.Length, $"example {e} reads {read.Length} watches, its history has {own.Length}");
                Assert.True(read.Length >= Math.Min(own.Length, least), $"example {e} reads {read.Length} of {own.Length} watches");
                Assert.Equal(own[^read.Length..].ToArray(), read);
                cut += read.Length < own.Length ? 1 : 0;
            }
        }

        Assert.All(seen, count => Assert.Equal(1, count));
        Assert.True(cut > 0, "some histories are longer than what their window holds");
    }

    [Fact]
    public async Task A_sequence_batch_holds_whole_windows_and_points_each_example_at_its_position()
    {
        var timelines = await TimelineLoader.LoadAsync(world.Dataset);
        var split = DataSplit.Create(timelines, new SplitOptions(SplitKind.LeaveLastOut), new ExampleOptions(LabelThreshold: 0f));
        var sequences = TrainingSequences.Create(split, 50);
        var plan = CandidateBatchBuilder.PlanSequenceBatches(sequences, 256, seed: 3, epoch: 0);
        var batch = new CandidateBatch(256 + sequences.MostExamplesPerWindow, 1);
        var builder = new CandidateBatchBuilder(split);

        Assert.Equal(Enumerable.Range(0, sequences.Count), plan.SelectMany(windows => windows).Order());
        Assert.Equal(plan.Select(p => p.ToArray()), CandidateBatchBuilder.PlanSequenceBatches(sequences, 256, seed: 3, epoch: 0).Select(p => p.ToArray()));
        Assert.NotEqual(plan[0], CandidateBatchBuilder.PlanSequenceBatches(sequences, 256, seed: 3, epoch: 1)[0]);

        builder.FillSequences(sequences, plan[0], batch);

        Assert.Equal(plan[0].Length, batch.WindowCount);
        var columns = plan[0].Max(w => sequences.Filled[w]);
        Assert.Equal(columns, batch.WindowLength);
        Assert.Equal(0, batch.WatchRowCount);
        var slot = 0;
        for (var k = 0; k < plan[0].Length; k++)
        {
            var w = plan[0][k];
            for (var i = sequences.WindowExampleStart[w]; i < sequences.WindowExampleStart[w + 1]; i++, slot++)
            {
                var expected = sequences.Positions[i] < 0 ? -1 : (k * columns) + sequences.Positions[i] - (50 - columns);
                Assert.Equal(expected, batch.HistoryPositions[slot]);
                Assert.Equal(split.Videos.RowOf(timelines.WatchVideo[split.Train.Label[sequences.Examples[i]]]), batch.Labels[slot]);
            }
        }
        Assert.Equal(slot, batch.Count);
        Assert.True(batch.Count <= 256 || plan[0].Length == 1);
    }

    [Fact]
    public async Task Batches_keep_only_the_columns_their_longest_window_fills_and_group_windows_of_like_lengths()
    {
        var timelines = await TimelineLoader.LoadAsync(world.Dataset);
        var split = DataSplit.Create(timelines, new SplitOptions(SplitKind.LeaveLastOut), new ExampleOptions(LabelThreshold: 0f));
        var sequences = TrainingSequences.Create(split, 50, stride: 50);
        var plan = CandidateBatchBuilder.PlanSequenceBatches(sequences, 64, seed: 3, epoch: 0);
        var batch = new CandidateBatch(64 + sequences.MostExamplesPerWindow, 1);
        var builder = new CandidateBatchBuilder(split);
        long columns = 0;
        long spread = 0;
        long shuffledSpread = 0;
        var shuffled = Enumerable.Range(0, sequences.Count).ToArray();
        new Random(3).Shuffle(shuffled);
        var taken = 0;

        foreach (var windows in plan)
        {
            builder.FillSequences(sequences, windows, batch);
            Assert.Equal(windows.Max(w => sequences.Filled[w]), batch.WindowLength);
            columns += (long)batch.WindowLength * windows.Length;
            spread += windows.Max(w => sequences.Filled[w]) - windows.Min(w => sequences.Filled[w]);
            var same = shuffled.AsSpan(taken, windows.Length).ToArray();
            shuffledSpread += same.Max(w => sequences.Filled[w]) - same.Min(w => sequences.Filled[w]);
            taken += windows.Length;
        }

        Assert.True(sequences.Filled.Any(f => f < 50), "some windows are shorter than the history cap");
        Assert.True(columns < (long)sequences.Count * 50, $"{columns} columns for {sequences.Count} windows");
        Assert.True(spread < shuffledSpread, $"length spread within batches {spread}, with batches of shuffled windows {shuffledSpread}");
    }
}
