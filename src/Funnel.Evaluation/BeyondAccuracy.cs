using System.Numerics;
using Funnel.Core;
using Funnel.Data.Examples;

namespace Funnel.Evaluation;

/// <summary>
/// What a model's lists look like beyond hitting the held-out video, at each cut-off K, over the
/// same test lists the accuracy metrics score:
/// <list type="bullet">
/// <item><b>coverage@K</b>: the share of the vocabulary's videos that appear in at least one top K;</item>
/// <item><b>novelty@K</b>: the mean self-information −log₂ p of the recommended videos, p the share of
/// users with training-side watches who watched the video there (higher: less popular videos;
/// an unwatched video counts as watched by one user);</item>
/// <item><b>diversity@K</b>: the mean intra-list distance, 1 − the mean Jaccard similarity of the topic
/// sets of every pair in the top K (pairs with a video without topics left out; not reported for a
/// catalogue without topics).</item>
/// </list>
/// </summary>
public sealed class BeyondAccuracy
{
    private readonly IReadOnlyList<int> cutoffs;
    private readonly double[] selfInformation;
    private readonly ulong[][]? topics;
    private readonly HashSet<int>[] covered;
    private readonly double[] novelty;
    private readonly double[] diversity;
    private readonly long[] diverseLists;
    private readonly int vocabulary;
    private readonly int[] ascending;
    private long lists;

    /// <summary>Counts popularity on <paramref name="split"/>'s training side and reads its catalogue's topics.</summary>
    public BeyondAccuracy(DataSplit split, IReadOnlyList<int> cutoffs)
    {
        this.cutoffs = cutoffs;
        var videos = split.Timelines.Videos;
        var watchers = new int[videos.Count];
        var users = 0;
        var seen = new HashSet<int>();
        var timelines = split.Timelines;
        for (var user = 0; user < timelines.UserCount; user++)
        {
            seen.Clear();
            for (var w = timelines.WatchStart[user]; w < split.TrainingWatchEndOf(user); w++)
            {
                if (seen.Add(timelines.WatchVideo[w]))
                {
                    watchers[timelines.WatchVideo[w]]++;
                }
            }
            users += seen.Count > 0 ? 1 : 0;
        }
        selfInformation = [.. watchers.Select(count => -Math.Log2(Math.Max(count, 1) / (double)Math.Max(users, 1)))];
        var names = videos.SelectMany(v => Split(v.Topics)).Distinct(StringComparer.Ordinal).Select((name, i) => (name, i)).ToDictionary(p => p.name, p => p.i, StringComparer.Ordinal);
        if (names.Count > 0)
        {
            var words = (names.Count + 63) / 64;
            topics = [.. videos.Select(v =>
            {
                var bits = new ulong[words];
                foreach (var name in Split(v.Topics))
                {
                    bits[names[name] / 64] |= 1UL << (names[name] % 64);
                }
                return bits;
            })];
        }
        covered = [.. cutoffs.Select(_ => new HashSet<int>())];
        novelty = new double[cutoffs.Count];
        diversity = new double[cutoffs.Count];
        diverseLists = new long[cutoffs.Count];
        vocabulary = split.Videos.Rows - 1;
        ascending = [.. Enumerable.Range(0, cutoffs.Count).OrderBy(i => cutoffs[i])];
    }

    /// <summary><see cref="Add"/> as the evaluator's list visitor.</summary>
    public RetrievalEvaluator.RankedListAction Visitor => (_, ranked) => Add(ranked);

    /// <summary>Adds one query's list (dataset video indices, best first).</summary>
    public void Add(ReadOnlySpan<int> ranked)
    {
        lists++;
        var maxK = Math.Min(ranked.Length, cutoffs.Max());
        double information = 0, similarity = 0;
        long pairs = 0;
        var c = 0;
        for (var j = 0; j < maxK; j++)
        {
            var video = ranked[j];
            information += selfInformation[video];
            if (topics is not null && !IsEmpty(topics[video]))
            {
                for (var i = 0; i < j; i++)
                {
                    if (!IsEmpty(topics[ranked[i]]))
                    {
                        similarity += Jaccard(topics[ranked[i]], topics[video]);
                        pairs++;
                    }
                }
            }
            while (c < ascending.Length && cutoffs[ascending[c]] == j + 1)
            {
                Record(ascending[c++], ranked[..(j + 1)], information, similarity, pairs);
            }
        }
        // Cut-offs beyond a short list see the whole list.
        for (; c < ascending.Length; c++)
        {
            Record(ascending[c], ranked[..maxK], information, similarity, pairs);
        }
    }

    /// <summary>Every metric at every cut-off for <paramref name="model"/> (diversity only when the catalogue has topics).</summary>
    public IEnumerable<MetricValue> Results(string model)
    {
        for (var c = 0; c < cutoffs.Count; c++)
        {
            yield return new MetricValue(model, MetricNames.Coverage, cutoffs[c], vocabulary <= 0 ? 0 : covered[c].Count / (double)vocabulary);
            yield return new MetricValue(model, MetricNames.Novelty, cutoffs[c], lists == 0 ? 0 : novelty[c] / lists);
            if (topics is not null)
            {
                yield return new MetricValue(model, MetricNames.Diversity, cutoffs[c], diverseLists[c] == 0 ? 0 : diversity[c] / diverseLists[c]);
            }
        }
    }

    private void Record(int c, ReadOnlySpan<int> top, double information, double similarity, long pairs)
    {
        foreach (var video in top)
        {
            covered[c].Add(video);
        }
        novelty[c] += top.Length == 0 ? 0 : information / top.Length;
        if (pairs > 0)
        {
            diversity[c] += 1 - (similarity / pairs);
            diverseLists[c]++;
        }
    }

    private static double Jaccard(ulong[] a, ulong[] b)
    {
        int both = 0, either = 0;
        for (var w = 0; w < a.Length; w++)
        {
            both += BitOperations.PopCount(a[w] & b[w]);
            either += BitOperations.PopCount(a[w] | b[w]);
        }
        return either == 0 ? 0 : both / (double)either;
    }

    private static bool IsEmpty(ulong[] bits) => Array.TrueForAll(bits, w => w == 0);

    private static string[] Split(string topics) => topics.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
