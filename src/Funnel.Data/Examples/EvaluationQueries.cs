namespace Funnel.Data.Examples;

/// <summary>
/// Retrieval queries of a validation or test side: user User[i] as of time Cutoff[i] (history
/// strictly before it) and, as ground truth, the distinct videos they later watched to completion
/// (<see cref="TruthOf"/>), excluding videos already watched before the cutoff, which evaluation masks.
/// </summary>
public sealed class EvaluationQueries
{
    internal EvaluationQueries(int[] user, long[] cutoff, int[] historyEnd, int[] searchEnd, int[] truthStart, int[] truth)
    {
        User = user;
        Cutoff = cutoff;
        HistoryEnd = historyEnd;
        SearchEnd = searchEnd;
        TruthStart = truthStart;
        Truth = truth;
    }

    /// <summary>Dense user index of each query.</summary>
    public int[] User { get; }

    /// <summary>The time the query is asked at.</summary>
    public long[] Cutoff { get; }

    /// <summary>End (exclusive) of the query's watch history in the watch arrays.</summary>
    public int[] HistoryEnd { get; }

    /// <summary>End (exclusive) of the query's search history in the search arrays.</summary>
    public int[] SearchEnd { get; }

    /// <summary>Query i's ground truth is [TruthStart[i], TruthStart[i + 1]) of <see cref="Truth"/>.</summary>
    public int[] TruthStart { get; }

    /// <summary>Dense video indices of all queries' ground truth.</summary>
    public int[] Truth { get; }

    /// <summary>Number of queries.</summary>
    public int Count => User.Length;

    /// <summary>The ground-truth videos of query i.</summary>
    public ReadOnlySpan<int> TruthOf(int query) => Truth.AsSpan(TruthStart[query], TruthStart[query + 1] - TruthStart[query]);
}
