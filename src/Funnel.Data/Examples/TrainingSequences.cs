namespace Funnel.Data.Examples;

/// <summary>
/// The training examples regrouped for a causal sequence encoder: each user's in-vocabulary
/// training-side watches, in time order, in windows of at most <see cref="Length"/> rows, and each
/// example's place in them: the position of the newest watch of its history. One pass of the
/// encoder over a window gives the history vector of every example whose history ends there, so a
/// window trains many positions at once; the causal mask keeps each from seeing later watches.
/// </summary>
/// <remarks>
/// Windows overlap: the newest ends at the user's last training watch and each older one ends
/// <c>stride</c> watches earlier. An example belongs to the newest window in which its history
/// ends among the last <c>stride</c> columns (in the oldest window, anywhere), so it reads at least
/// Length − stride + 1 of its watches (all of them when it has fewer), and near the last column,
/// where serving puts the newest watch. Windows are left-padded with row 0.
/// </remarks>
public sealed class TrainingSequences
{
    private TrainingSequences(int length, long[] rows, int[] filled, int[] windowExampleStart, int[] examples, int[] positions)
    {
        Length = length;
        Rows = rows;
        Filled = filled;
        WindowExampleStart = windowExampleStart;
        Examples = examples;
        Positions = positions;
    }

    /// <summary>Columns of every window (the history cap).</summary>
    public int Length { get; }

    /// <summary>Number of windows.</summary>
    public int Count => WindowExampleStart.Length - 1;

    /// <summary>Video rows of every window, row-major [Count, Length], 0 = padding.</summary>
    public long[] Rows { get; }

    /// <summary>Watches (rows other than padding) of each window: its last Filled[w] columns.</summary>
    public int[] Filled { get; }

    /// <summary>Window w's examples are <see cref="Examples"/>[WindowExampleStart[w] .. WindowExampleStart[w + 1]).</summary>
    public int[] WindowExampleStart { get; }

    /// <summary>Training example indices, grouped by window.</summary>
    public int[] Examples { get; }

    /// <summary>For each entry of <see cref="Examples"/>, the column of its history's newest watch in the window, or -1 for an empty history.</summary>
    public int[] Positions { get; }

    /// <summary>How many examples window <paramref name="w"/> holds.</summary>
    public int ExamplesIn(int w) => WindowExampleStart[w + 1] - WindowExampleStart[w];

    /// <summary>Most examples any window holds.</summary>
    public int MostExamplesPerWindow => Count == 0 ? 0 : Enumerable.Range(0, Count).Max(ExamplesIn);

    /// <summary>
    /// Groups the split's training examples into windows of at most <paramref name="length"/>
    /// watches, each ending <paramref name="stride"/> (1 … length; default half the length) before the next.
    /// </summary>
    public static TrainingSequences Create(DataSplit split, int length, int? stride = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        var step = stride ?? Math.Max(1, (length + 1) / 2);
        if (step < 1 || step > length)
        {
            throw new ArgumentOutOfRangeException(nameof(stride), $"the stride must be in 1 … {length}; got {step}");
        }
        var timelines = split.Timelines;
        var train = split.Train;
        var rows = new List<long>();
        var filled = new List<int>();
        var windowExampleStart = new List<int> { 0 };
        var examples = new List<int>();
        var positions = new List<int>();
        var compact = new List<long>();
        // inVocabularyBefore[i - start]: in-vocabulary watches of the user before watch i.
        var inVocabularyBefore = new List<int>();
        var e = 0;
        for (var user = 0; user < timelines.UserCount; user++)
        {
            var first = e;
            while (e < train.Count && train.User[e] == user)
            {
                e++;
            }
            if (e == first)
            {
                continue;
            }
            var start = timelines.WatchStart[user];
            var end = 0;
            for (var k = first; k < e; k++)
            {
                end = Math.Max(end, train.HistoryEnd[k]);
            }
            compact.Clear();
            inVocabularyBefore.Clear();
            for (var i = start; i < end; i++)
            {
                inVocabularyBefore.Add(compact.Count);
                var row = split.Videos.RowOf(timelines.WatchVideo[i]);
                if (row != Vocabulary.OutOfVocabulary)
                {
                    compact.Add(row);
                }
            }
            inVocabularyBefore.Add(compact.Count);
            // Window j (0 = newest) covers compact rows [to - L, to) with to = n - j·stride; the
            // oldest is the first whose start reaches row 0. Older windows first, as in time.
            var n = compact.Count;
            var windows = n <= length ? 1 : 1 + ((n - length + step - 1) / step);
            for (var j = windows - 1; j >= 0; j--)
            {
                var to = n - (j * step);
                var from = Math.Max(0, to - length);
                var owns = j == windows - 1 ? from : to - step;
                var offset = length - (to - from) - from;
                var before = examples.Count;
                for (var k = first; k < e; k++)
                {
                    var seen = inVocabularyBefore[train.HistoryEnd[k] - start];
                    // Empty histories go to the oldest window.
                    var belongs = seen == 0 ? j == windows - 1 : seen - 1 >= owns && seen - 1 < to;
                    if (belongs)
                    {
                        examples.Add(k);
                        positions.Add(seen == 0 ? -1 : seen - 1 + offset);
                    }
                }
                if (examples.Count == before)
                {
                    continue;
                }
                for (var pad = to - from; pad < length; pad++)
                {
                    rows.Add(0);
                }
                for (var r = from; r < to; r++)
                {
                    rows.Add(compact[r]);
                }
                filled.Add(to - from);
                windowExampleStart.Add(examples.Count);
            }
        }
        return new TrainingSequences(length, [.. rows], [.. filled], [.. windowExampleStart], [.. examples], [.. positions]);
    }
}
