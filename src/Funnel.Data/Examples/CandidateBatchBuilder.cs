using Funnel.Core;

namespace Funnel.Data.Examples;

/// <summary>
/// Assembles <see cref="CandidateBatch"/>es from a split's examples and queries: the same feature
/// code for training (with example age) and for evaluation and serving (example age 0).
/// </summary>
public sealed class CandidateBatchBuilder(DataSplit split)
{
    private const int ShuffleStream = 21;

    /// <summary>Batches' worth of windows sorted by length together (the SASRec peer's bucket pool is 4 batches too).</summary>
    public const int LengthSortedPool = 4;

    private readonly Timelines timelines = split.Timelines;
    private readonly ExampleOptions options = split.Options;
    private readonly Vocabulary videos = split.Videos;
    private readonly Vocabulary tokens = split.Tokens;
    private readonly double windowSeconds = Math.Max(1.0, split.Train.WindowEnd - split.Timelines.StartTime);

    /// <summary>
    /// All training examples in a seeded random order, <paramref name="batchSize"/> at a time. The
    /// same batch object is refilled each time: use it before asking for the next.
    /// </summary>
    public IEnumerable<CandidateBatch> TrainingBatches(int batchSize, int epoch)
    {
        var order = Enumerable.Range(0, split.Train.Count).ToArray();
        SeedMixer.Random(options.Seed, ShuffleStream, epoch).Shuffle(order);
        var batch = new CandidateBatch(batchSize, options.MaxWatchHistory);
        for (var start = 0; start < order.Length; start += batchSize)
        {
            FillTraining(order.AsSpan(start, Math.Min(batchSize, order.Length - start)), batch);
            yield return batch;
        }
    }

    /// <summary>
    /// Packs the windows (in a seeded random order) into batches of about <paramref name="batchSize"/>
    /// examples, whole windows to a batch: the window indices of each batch. Batches are cut from
    /// pools of <see cref="LengthSortedPool"/> batches' worth of windows sorted by length, and then
    /// shuffled, so a batch's windows are of similar lengths and little of it is padding.
    /// </summary>
    public static IReadOnlyList<int[]> PlanSequenceBatches(TrainingSequences sequences, int batchSize, int seed, int epoch)
    {
        var random = SeedMixer.Random(seed, ShuffleStream, epoch);
        var order = Enumerable.Range(0, sequences.Count).ToArray();
        random.Shuffle(order);
        var plan = new List<int[]>();
        var current = new List<int>();
        var examples = 0;
        var pool = new List<int>();
        var pooled = 0;
        for (var next = 0; next <= order.Length; next++)
        {
            if (next == order.Length || (pool.Count > 0 && pooled + sequences.ExamplesIn(order[next]) > LengthSortedPool * (long)batchSize))
            {
                foreach (var w in pool.OrderBy(w => sequences.Filled[w]))
                {
                    var size = sequences.ExamplesIn(w);
                    if (current.Count > 0 && examples + size > batchSize)
                    {
                        plan.Add([.. current]);
                        current.Clear();
                        examples = 0;
                    }
                    current.Add(w);
                    examples += size;
                }
                pool.Clear();
                pooled = 0;
            }
            if (next < order.Length)
            {
                pool.Add(order[next]);
                pooled += sequences.ExamplesIn(order[next]);
            }
        }
        if (current.Count > 0)
        {
            plan.Add([.. current]);
        }
        var batches = plan.ToArray();
        random.Shuffle(batches);
        return batches;
    }

    /// <summary>
    /// Fills the batch with the examples of the given windows: each example's history is a position
    /// of its window (<see cref="CandidateBatch.HistoryPositions"/>), not a bag of its own. A batch
    /// for it holds <paramref name="sequences"/>' most examples per window beyond the planned size.
    /// The batch's windows keep only as many columns as its longest window fills: the cut columns
    /// are padding in every window, which the encoder would mask anyway.
    /// </summary>
    public void FillSequences(TrainingSequences sequences, ReadOnlySpan<int> windows, CandidateBatch batch)
    {
        var count = 0;
        var columns = 1;
        foreach (var w in windows)
        {
            count += sequences.ExamplesIn(w);
            columns = Math.Max(columns, sequences.Filled[w]);
        }
        var cut = sequences.Length - columns;
        Begin(batch, count);
        var train = split.Train;
        var slot = 0;
        foreach (var w in windows)
        {
            var window = batch.AddWindow(sequences.Rows.AsSpan((w * sequences.Length) + cut, columns));
            for (var i = sequences.WindowExampleStart[w]; i < sequences.WindowExampleStart[w + 1]; i++, slot++)
            {
                var e = sequences.Examples[i];
                var label = train.Label[e];
                var exampleAge = (train.WindowEnd - timelines.WatchTime[label]) / windowSeconds;
                AddExample(batch, slot, train.User[e], historyEnd: -1, train.SearchEnd[e], videos.RowOf(timelines.WatchVideo[label]), exampleAge);
                batch.HistoryPositions[slot] = sequences.Positions[i] < 0 ? -1 : ((long)window * columns) + sequences.Positions[i] - cut;
            }
        }
    }

    /// <summary>Fills the batch with the given training examples.</summary>
    public void FillTraining(ReadOnlySpan<int> examples, CandidateBatch batch)
    {
        Begin(batch, examples.Length);
        var train = split.Train;
        for (var i = 0; i < examples.Length; i++)
        {
            var e = examples[i];
            var user = train.User[e];
            var label = train.Label[e];
            var exampleAge = (train.WindowEnd - timelines.WatchTime[label]) / windowSeconds;
            AddExample(batch, i, user, train.HistoryEnd[e], train.SearchEnd[e], videos.RowOf(timelines.WatchVideo[label]), exampleAge);
        }
    }

    /// <summary>Fills the batch with evaluation queries, at example age 0 as when serving.</summary>
    public void FillQueries(EvaluationQueries queries, ReadOnlySpan<int> ids, CandidateBatch batch)
    {
        Begin(batch, ids.Length);
        for (var i = 0; i < ids.Length; i++)
        {
            var q = ids[i];
            AddExample(batch, i, queries.User[q], queries.HistoryEnd[q], queries.SearchEnd[q], 0, 0.0);
        }
    }

    private static void Begin(CandidateBatch batch, int count)
    {
        if (count > batch.Capacity)
        {
            throw new ArgumentException($"{count} examples do not fit a batch of capacity {batch.Capacity}");
        }
        batch.Clear();
        batch.Count = count;
    }

    /// <summary>Writes one example; a <paramref name="historyEnd"/> of -1 leaves its watch bag empty (its history is a window position).</summary>
    private void AddExample(CandidateBatch batch, int slot, int user, int historyEnd, int searchEnd, long label, double exampleAge)
    {
        batch.WatchOffsets[slot] = batch.WatchRowCount;
        if (historyEnd >= 0)
        {
            AddWatchBag(batch, user, historyEnd);
        }
        AddSearchBag(batch, slot, user, searchEnd);
        var person = timelines.Users[user];
        batch.SetFeatures(slot, label, timelines.Categories.Region[user], timelines.Categories.Device[user], timelines.Categories.Language[user], (long)person.Gender, person.Age, exampleAge, user);
    }

    private void AddWatchBag(CandidateBatch batch, int user, int historyEnd)
    {
        var watchFrom = Math.Max(timelines.WatchStart[user], historyEnd - options.MaxWatchHistory);
        var watchRows = batch.ReserveWatchRows(historyEnd - watchFrom);
        var watchCount = batch.WatchRowCount;
        var watchVideos = timelines.WatchVideo.AsSpan(watchFrom, historyEnd - watchFrom);
        foreach (var video in watchVideos)
        {
            var row = videos.RowOf(video);
            if (row != Vocabulary.OutOfVocabulary)
            {
                watchRows[watchCount++] = row;
            }
        }
        batch.WatchRowCount = watchCount;
    }

    private void AddSearchBag(CandidateBatch batch, int slot, int user, int searchEnd)
    {
        batch.TokenOffsets[slot] = batch.TokenRowCount;
        var searchFrom = Math.Max(timelines.SearchStart[user], searchEnd - options.MaxSearchHistory);
        var tokenFrom = timelines.SearchTokenStart[searchFrom];
        var tokenEnd = timelines.SearchTokenStart[searchEnd];
        var tokenRows = batch.ReserveTokenRows(tokenEnd - tokenFrom);
        var tokenCount = batch.TokenRowCount;
        foreach (var token in timelines.SearchTokens.AsSpan(tokenFrom, tokenEnd - tokenFrom))
        {
            var row = tokens.RowOf(token);
            if (row != Vocabulary.OutOfVocabulary)
            {
                tokenRows[tokenCount++] = row;
            }
        }
        batch.TokenRowCount = tokenCount;
    }
}
