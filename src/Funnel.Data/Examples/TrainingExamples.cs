namespace Funnel.Data.Examples;

/// <summary>
/// The training examples of a split as parallel arrays. Example i predicts watch Label[i] of user
/// User[i] from that user's watches [WatchStart[user], HistoryEnd[i]) and searches
/// [SearchStart[user], SearchEnd[i]) of the <see cref="Timelines"/>, all strictly before the label's time.
/// </summary>
public sealed class TrainingExamples
{
    internal TrainingExamples(int[] user, int[] label, int[] historyEnd, int[] searchEnd, long windowEnd)
    {
        User = user;
        Label = label;
        HistoryEnd = historyEnd;
        SearchEnd = searchEnd;
        WindowEnd = windowEnd;
    }

    /// <summary>Dense user index of each example.</summary>
    public int[] User { get; }

    /// <summary>Index of the label watch in the timelines' watch arrays.</summary>
    public int[] Label { get; }

    /// <summary>End (exclusive) of the example's watch history in the watch arrays.</summary>
    public int[] HistoryEnd { get; }

    /// <summary>End (exclusive) of the example's search history in the search arrays.</summary>
    public int[] SearchEnd { get; }

    /// <summary>End of the training window: an example's age is WindowEnd minus its label's time.</summary>
    public long WindowEnd { get; }

    /// <summary>Number of examples.</summary>
    public int Count => User.Length;
}
