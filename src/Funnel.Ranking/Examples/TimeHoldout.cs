namespace Funnel.Ranking.Examples;

/// <summary>
/// The ranking holdout: the paper evaluates on the next day's impressions; Funnel holds out the
/// impressions of the last <c>fraction</c> of the log's time span (a page is never split: its
/// impressions share a time) and trains on everything before.
/// </summary>
public static class TimeHoldout
{
    /// <summary>Indices of the training and held-out examples, each in log order.</summary>
    public static (int[] Train, int[] Test, long Cutoff) Split(IReadOnlyList<RankingExample> examples, double fraction) =>
        Split(examples, Cutoff([.. examples.Select(e => e.Time)], fraction));

    /// <summary>The first held-out time: the last <paramref name="fraction"/> of the span of <paramref name="times"/>.</summary>
    public static long Cutoff(IReadOnlyCollection<long> times, double fraction)
    {
        if (!(fraction > 0 && fraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "the held-out fraction of the time span must be in (0, 1)");
        }
        if (times.Count == 0)
        {
            throw new ArgumentException("the dataset has no impressions: the ranker learns from impressions (shown, clicked, watched)");
        }
        var first = times.Min();
        var last = times.Max();
        return last - (long)Math.Floor((last - first) * fraction);
    }

    /// <summary>Indices of the examples before and from <paramref name="cutoff"/>, each in log order.</summary>
    public static (int[] Train, int[] Test, long Cutoff) Split(IReadOnlyList<RankingExample> examples, long cutoff)
    {
        var train = Enumerable.Range(0, examples.Count).Where(i => examples[i].Time < cutoff).ToArray();
        var test = Enumerable.Range(0, examples.Count).Where(i => examples[i].Time >= cutoff).ToArray();
        if (train.Length == 0 || test.Length == 0)
        {
            throw new ArgumentException($"the time holdout at {DateTimeOffset.FromUnixTimeSeconds(cutoff):u} leaves {train.Length} training and {test.Length} held-out impressions: the log spans too short a time");
        }
        return (train, test, cutoff);
    }
}
