using System.Diagnostics;
using System.Globalization;
using Funnel.Candidates.Inference;
using Funnel.Core;
using Funnel.Data.Model;
using Funnel.Data.Storage;
using Funnel.Ranking.Sources;
using static TorchSharp.torch;

namespace Funnel.Ranking.Examples;

/// <summary>What <see cref="CandidateLists"/> made.</summary>
/// <param name="Impressions">The lists as impressions, sorted by (user, time), one page per list.</param>
/// <param name="Probed">Completed watches a list was built for.</param>
/// <param name="Kept">Lists kept: those whose watched video the candidate model nominated.</param>
public sealed record CandidateListImpressions(List<Impression> Impressions, int Probed, int Kept);

/// <summary>
/// Impressions for a log without any (watches or ratings only), so that every dataset gets a
/// ranker: at a sampled completed watch, the candidate model nominates its top videos (the
/// service's candidate depth) from the user's state strictly before it; the page shows the watched
/// video as the click (weighted by its watch seconds, or by its completion where the log has no
/// seconds) beside others drawn from the whole depth, not clicked. A list is kept only when the
/// candidate model nominated the watched video: the ranker learns to reorder what the candidate
/// stage offers, at every rank it offers it, as it does when serving. The bias: the positives are the watches the
/// candidate stage already found, and the negatives were never shown (a user may have liked them);
/// <see cref="CandidateListImpressions.Kept"/> / <see cref="CandidateListImpressions.Probed"/> is
/// how much of the log that leaves.
/// </summary>
public static class CandidateLists
{
    private const int ProbeStream = 71;
    private const int ShownStream = 72;

    /// <summary>Scores held at once (lists × corpus), as in <see cref="CandidateNominator"/>.</summary>
    private const long ScoresPerChunk = 2_000_000;

    /// <summary>Builds the lists for <paramref name="dataset"/> with the candidate model <paramref name="model"/> alone.</summary>
    /// <param name="dataset">The log.</param>
    /// <param name="model">The candidate stage whose top videos make the lists.</param>
    /// <param name="options">How many lists, how long.</param>
    /// <param name="trainingEnd">
    /// Per user, the time from which their watches are held out (the candidate model's validation
    /// and test side): no list is built at or after it, so the ranker never learns a held-out watch.
    /// </param>
    /// <param name="log">Progress lines, or null.</param>
    /// <param name="cancellation">Stops the work.</param>
    public static async Task<CandidateListImpressions> BuildAsync(Dataset dataset, CandidateModel model, CandidateListOptions options, Func<int, long> trainingEnd, Action<string>? log = null, CancellationToken cancellation = default)
    {
        var watches = await dataset.ReadWatchesAsync(cancellation).FlattenAsync().ConfigureAwait(false);
        return await BuildAsync(dataset, model, options, watches, Probes(watches, dataset.Videos, options, trainingEnd), null, log, cancellation).ConfigureAwait(false);
    }

    /// <summary>
    /// Builds a list at each of <paramref name="probes"/> (from <see cref="Probes"/>): the candidate
    /// model's top <see cref="CandidateListOptions.Depth"/>, then, with <paramref name="coVisits"/>, the
    /// co-visits source's top <see cref="CandidateListOptions.CoVisits"/> as of the probe's time, merged
    /// as the service merges them, so the ranker learns from lists both sources made.
    /// </summary>
    public static async Task<CandidateListImpressions> BuildAsync(Dataset dataset, CandidateModel model, CandidateListOptions options, List<Watch> watches, List<Impression> probes, SourceCounts? coVisits, Action<string>? log = null, CancellationToken cancellation = default)
    {
        options.Validate();
        // The probes' replayed states: the same strictly-earlier state the examples will get.
        var probed = await RankingExampleBuilder.BuildAsync(dataset, probes, cancellation).ConfigureAwait(false);
        var videoOfRow = Enumerable.Repeat(-1, model.VideoIds.Count).ToArray();
        for (var v = 0; v < dataset.Videos.Count; v++)
        {
            if (model.RowOf(dataset.Videos[v].Id) is { } row)
            {
                videoOfRow[row] = v;
            }
        }
        var before = WatchedBefore(watches, probes);
        var corpus = model.VideoIds.Count - 1;
        var listsPerChunk = (int)Math.Clamp(ScoresPerChunk / Math.Max(1, corpus), 1, 256);
        using var vectors = model.Network.ServingVideoVectors();
        using var table = vectors.t().contiguous();
        var impressions = new List<Impression>();
        var kept = 0;
        var clock = Stopwatch.StartNew();
        var reported = TimeSpan.Zero;
        for (var start = 0; start < probed.Length; start += listsPerChunk)
        {
            cancellation.ThrowIfCancellationRequested();
            var count = Math.Min(listsPerChunk, probed.Length - start);
            var histories = Enumerable.Range(start, count).Select(i => CandidateNominator.History(probed[i], dataset)).ToList();
            var widest = Enumerable.Range(start, count).Max(i => before[i].Count);
            var take = (int)Math.Min(corpus, options.Depth + widest);
            using var scope = NewDisposeScope();
            var users = tensor(model.UserVectors(histories), [count, model.Manifest.Network.EmbeddingDimension]);
            var top = users.matmul(table).narrow(1, 1, corpus).topk(take, dim: 1).indexes.contiguous().data<long>().ToArray();
            for (var p = 0; p < count; p++)
            {
                var probe = probes[start + p];
                var list = new List<int>(options.Depth);
                for (var j = 0; j < take && list.Count < options.Depth; j++)
                {
                    // narrow(1, 1, …) dropped the padding row 0: column j is row j + 1.
                    var video = videoOfRow[top[(p * take) + j] + 1];
                    if (video >= 0 && !before[start + p].Contains(video))
                    {
                        list.Add(video);
                    }
                }
                if (coVisits is not null && options.CoVisits > 0)
                {
                    var taken = new HashSet<int>(list);
                    taken.UnionWith(before[start + p]);
                    list.AddRange(coVisits.CoVisitedAt(probe.User, probed[start + p].State.RecentWatches, probe.Time, options.CoVisits, taken));
                }
                var watched = list.IndexOf(probe.Video);
                if (watched < 0)
                {
                    continue;
                }
                kept++;
                // The others are drawn over the whole depth, so every rank the ranker will reorder is seen in training.
                var others = Enumerable.Range(0, list.Count).Where(r => r != watched).ToArray();
                SeedMixer.Random(options.Seed, ShownStream, probe.Page).Shuffle(others);
                foreach (var rank in others.Take(options.Shown - 1).Append(watched).Order())
                {
                    var video = list[rank];
                    impressions.Add(new Impression(probe.User, video, probe.Time, probe.Page, rank, rank == watched, rank == watched ? probe.WatchSeconds : 0f));
                }
            }
            if (log is not null && clock.Elapsed - reported >= TimeSpan.FromSeconds(10))
            {
                reported = clock.Elapsed;
                log(string.Create(CultureInfo.InvariantCulture, $"candidate lists: {start + count:N0}/{probed.Length:N0}, {(start + count) / clock.Elapsed.TotalSeconds:N0} lists/s"));
            }
        }
        return new CandidateListImpressions(impressions, probes.Count, kept);
    }

    /// <summary>Up to <see cref="CandidateListOptions.ListsPerUser"/> completed watches per user, each a one-impression probe carrying its click weight.</summary>
    public static List<Impression> Probes(List<Watch> watches, IReadOnlyList<Video> videos, CandidateListOptions options, Func<int, long> trainingEnd)
    {
        var probes = new List<Impression>();
        for (var start = 0; start < watches.Count;)
        {
            var end = start;
            while (end < watches.Count && watches[end].User == watches[start].User)
            {
                end++;
            }
            var heldOutFrom = trainingEnd(watches[start].User);
            var completed = Enumerable.Range(start, end - start)
                .Where(i => watches[i].Time < heldOutFrom && (float.IsNaN(watches[i].Completion) || watches[i].Completion >= options.CompletionThreshold))
                .ToArray();
            var random = SeedMixer.Random(options.Seed, ProbeStream, watches[start].User);
            random.Shuffle(completed);
            foreach (var i in completed.Take(options.ListsPerUser).Order())
            {
                var w = watches[i];
                probes.Add(new Impression(w.User, w.Video, w.Time, probes.Count, 0, true, Weight(w, videos[w.Video])));
            }
            start = end;
        }
        return probes;
    }

    /// <summary>
    /// The click's weight: watch seconds where the log has them, else completion × duration, else
    /// completion alone (the ranker's odds then estimate expected completion), else 1.
    /// </summary>
    private static float Weight(in Watch watch, Video video) =>
        float.IsFinite(watch.WatchSeconds) ? watch.WatchSeconds
        : !float.IsFinite(watch.Completion) ? 1f
        : video.DurationSeconds > 0 ? watch.Completion * video.DurationSeconds
        : watch.Completion;

    /// <summary>For each probe, the videos its user watched strictly before it (left out of its list, as serving leaves out watched videos).</summary>
    private static List<HashSet<int>> WatchedBefore(List<Watch> watches, List<Impression> probes)
    {
        var result = new List<HashSet<int>>(probes.Count);
        var w = 0;
        foreach (var probe in probes)
        {
            while (w < watches.Count && watches[w].User < probe.User)
            {
                w++;
            }
            var set = new HashSet<int>();
            for (var i = w; i < watches.Count && watches[i].User == probe.User && watches[i].Time < probe.Time; i++)
            {
                set.Add(watches[i].Video);
            }
            result.Add(set);
        }
        return result;
    }
}
