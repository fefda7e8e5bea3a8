using Funnel.Data.Examples;

namespace Funnel.Evaluation.Baselines;

/// <summary>Each user's training-side watches as video-vocabulary rows, in time order (what baselines learn from).</summary>
internal static class TrainingWatches
{
    /// <summary>Calls <paramref name="visit"/> with each user's in-vocabulary training-side rows and times.</summary>
    public static void ForEachUser(DataSplit split, Action<int, List<int>, List<long>> visit)
    {
        var timelines = split.Timelines;
        var rows = new List<int>();
        var times = new List<long>();
        for (var user = 0; user < timelines.UserCount; user++)
        {
            rows.Clear();
            times.Clear();
            var end = split.TrainingWatchEndOf(user);
            for (var w = timelines.WatchStart[user]; w < end; w++)
            {
                var row = split.Videos.RowOf(timelines.WatchVideo[w]);
                if (row != Vocabulary.OutOfVocabulary)
                {
                    rows.Add(row);
                    times.Add(timelines.WatchTime[w]);
                }
            }
            if (rows.Count > 0)
            {
                visit(user, rows, times);
            }
        }
    }

    /// <summary>The history rows of batch example i (its watch bag).</summary>
    public static ReadOnlySpan<long> HistoryOf(CandidateBatch batch, int i)
    {
        var start = (int)batch.WatchOffsets[i];
        var end = i + 1 < batch.Count ? (int)batch.WatchOffsets[i + 1] : batch.WatchRowCount;
        return batch.WatchRows.AsSpan(start, end - start);
    }
}
