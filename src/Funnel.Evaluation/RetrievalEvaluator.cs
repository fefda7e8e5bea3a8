using Funnel.Core;
using Funnel.Data.Examples;
using Funnel.Evaluation.Metrics;
using Funnel.Torch;
using static TorchSharp.torch;

namespace Funnel.Evaluation;

/// <summary>
/// Ranks the full video vocabulary for every evaluation query (no sampled negatives), masks the
/// reserved row and, by default, what the user already watched, and reports HR, Recall, NDCG and
/// MAP at each K. Ground truth the vocabulary does not cover (e.g. videos uploaded after training)
/// is never retrieved and counts as missed.
/// </summary>
public sealed class RetrievalEvaluator
{
    private const int SubsetStream = 30;
    private readonly DataSplit split;
    private readonly CandidateBatchBuilder builder;

    /// <summary>Creates an evaluator for a split's queries.</summary>
    public RetrievalEvaluator(DataSplit split, RetrievalEvaluationOptions? options = null)
    {
        this.split = split;
        Options = options ?? new RetrievalEvaluationOptions();
        builder = new CandidateBatchBuilder(split);
    }

    /// <summary>The options in force.</summary>
    public RetrievalEvaluationOptions Options { get; }

    /// <summary>Mean metrics of a model over the queries.</summary>
    /// <remarks><paramref name="alsoVisit"/> sees every ranked list too, so a caller can use them without ranking again.</remarks>
    public IReadOnlyList<MetricValue> Evaluate(IRetrievalModel model, EvaluationQueries queries, RankedListAction? alsoVisit = null) =>
        Evaluate(model.Name, queries, alsoVisit, visit => Rank(model, queries, Options.Cutoffs.Max(), visit));

    /// <summary>Mean metrics of a model served through a nearest-neighbour index (<paramref name="alsoVisit"/> as above).</summary>
    public IReadOnlyList<MetricValue> Evaluate(IIndexedRetrievalModel model, EvaluationQueries queries, RankedListAction? alsoVisit = null) =>
        Evaluate(model.Name, queries, alsoVisit, visit => Rank(model, queries, Options.Cutoffs.Max(), visit));

    /// <summary>
    /// Mean metrics of lists made elsewhere (e.g. the whole funnel's final slates): <paramref name="rankedOf"/>
    /// gives a query's list as dense video indices, best first, already without what the user watched.
    /// The same queries and metric code as the models above.
    /// </summary>
    public IReadOnlyList<MetricValue> Evaluate(string name, EvaluationQueries queries, Func<int, int[]> rankedOf) =>
        Evaluate(name, queries, null, visit =>
        {
            var ids = Subset(queries);
            foreach (var query in ids)
            {
                visit(query, rankedOf(query));
            }
            return ids.Length;
        });

    private List<MetricValue> Evaluate(string name, EvaluationQueries queries, RankedListAction? alsoVisit, Func<RankedListAction, int> rank)
    {
        var ks = Options.Cutoffs;
        var sums = new double[4, ks.Count];
        var truth = new HashSet<int>();
        var evaluated = rank((query, ranked) =>
        {
            truth.Clear();
            foreach (var video in queries.TruthOf(query))
            {
                truth.Add(video);
            }
            for (var k = 0; k < ks.Count; k++)
            {
                sums[0, k] += HitRate.At(ranked, truth, ks[k]);
                sums[1, k] += Recall.At(ranked, truth, ks[k]);
                sums[2, k] += Ndcg.At(ranked, truth, ks[k]);
                sums[3, k] += AveragePrecision.At(ranked, truth, ks[k]);
            }
            alsoVisit?.Invoke(query, ranked);
        });
        var results = new List<MetricValue>();
        var names = MetricNames.Retrieval;
        for (var m = 0; m < names.Count; m++)
        {
            for (var k = 0; k < ks.Count; k++)
            {
                results.Add(new MetricValue(name, names[m], ks[k], evaluated == 0 ? 0 : sums[m, k] / evaluated));
            }
        }
        return results;
    }

    /// <summary>What to do with one query's ranked list (dense video indices, best first).</summary>
    public delegate void RankedListAction(int query, ReadOnlySpan<int> ranked);

    /// <summary>
    /// Ranks the full vocabulary for each evaluated query (the seeded subset when MaxQueries is set),
    /// masking the reserved row and, by default, videos already watched; returns how many queries.
    /// </summary>
    public int Rank(IRetrievalModel model, EvaluationQueries queries, int k, RankedListAction visit) =>
        RankInBatches(queries, k, visit, (chunk, batch, maxK) =>
        {
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            var scores = model.Score(batch).to_type(ScalarType.Float32);
            if (scores.dim() != 2 || scores.shape[0] != chunk.Length || scores.shape[1] != split.Videos.Rows)
            {
                throw new InvalidOperationException($"model '{model.Name}' returned scores of shape [{string.Join(", ", scores.shape)}]; expected [{chunk.Length}, {split.Videos.Rows}]");
            }
            scores.select(1, 0).fill_(RootedScalars.NegativeInfinity);
            if (Options.ExcludeSeen)
            {
                MaskSeen(scores, queries, chunk);
            }
            var (values, indexes) = scores.topk(maxK, dim: 1);
            var top = indexes.data<long>().ToArray();
            var kept = values.data<float>().ToArray();
            // A user who watched nearly the whole corpus has fewer than maxK rows left: masked rows are not answers.
            return [.. Enumerable.Range(0, chunk.Length).Select(i => top[(i * maxK)..((i * maxK) + Allowed(kept.AsSpan(i * maxK, maxK)))])];
        });

    /// <summary>
    /// The same for a model served through an index: the reserved row and (by default) videos
    /// already watched are excluded inside the search. A query may get fewer than k rows when the
    /// index holds fewer allowed videos; the metrics then count the missing ranks as misses.
    /// </summary>
    public int Rank(IIndexedRetrievalModel model, EvaluationQueries queries, int k, RankedListAction visit) =>
        RankInBatches(queries, k, visit, (chunk, batch, maxK) =>
        {
            var excluded = new IReadOnlySet<long>[chunk.Length];
            for (var i = 0; i < chunk.Length; i++)
            {
                var rows = Options.ExcludeSeen ? SeenRows(queries, chunk[i]) : [];
                rows.Add(Vocabulary.OutOfVocabulary);
                excluded[i] = rows;
            }
            return model.TopRows(batch, maxK, excluded);
        });

    /// <summary>The best rows of each query of a chunk, given its filled batch and the list length.</summary>
    private delegate long[][] TopRowsOfChunk(ReadOnlySpan<int> chunk, CandidateBatch batch, int maxK);

    /// <summary>Fills a batch per chunk of the evaluated queries, ranks it, and visits each list as video indices.</summary>
    private int RankInBatches(EvaluationQueries queries, int k, RankedListAction visit, TopRowsOfChunk topRows)
    {
        var maxK = Math.Min(k, split.Videos.Rows - 1);
        var ids = Subset(queries);
        var batch = new CandidateBatch(Options.BatchSize, split.Options.MaxWatchHistory);
        var ranked = new int[maxK];
        for (var start = 0; start < ids.Length; start += Options.BatchSize)
        {
            var chunk = ids.AsSpan(start, Math.Min(Options.BatchSize, ids.Length - start));
            builder.FillQueries(queries, chunk, batch);
            var top = topRows(chunk, batch, maxK);
            for (var i = 0; i < chunk.Length; i++)
            {
                var found = top[i];
                for (var r = 0; r < found.Length; r++)
                {
                    ranked[r] = split.Videos.KeyOf((int)found[r]);
                }
                visit(chunk[i], ranked.AsSpan(0, found.Length));
            }
        }
        return ids.Length;
    }

    /// <summary>How many of a best-first list of scores are not masked (−∞ marks a masked row).</summary>
    private static int Allowed(ReadOnlySpan<float> scores)
    {
        var masked = scores.IndexOf(float.NegativeInfinity);
        return masked < 0 ? scores.Length : masked;
    }

    /// <summary>The queries evaluated: all, or a seeded subset in their original order.</summary>
    private int[] Subset(EvaluationQueries queries)
    {
        var all = Enumerable.Range(0, queries.Count).ToArray();
        if (Options.MaxQueries <= 0 || queries.Count <= Options.MaxQueries)
        {
            return all;
        }
        SeedMixer.Random(Options.Seed, SubsetStream, queries.Count).Shuffle(all);
        return [.. all.Take(Options.MaxQueries).Order()];
    }

    /// <summary>Masks, for each query of the chunk, what <see cref="SeenRows"/> returns.</summary>
    private void MaskSeen(Tensor scores, EvaluationQueries queries, ReadOnlySpan<int> chunk)
    {
        var rows = new List<long>();
        var columns = new List<long>();
        for (var i = 0; i < chunk.Length; i++)
        {
            foreach (var row in SeenRows(queries, chunk[i]))
            {
                rows.Add(i);
                columns.Add(row);
            }
        }
        if (rows.Count > 0)
        {
            scores.index_put_(RootedScalars.NegativeInfinity, tensor(rows.ToArray()), tensor(columns.ToArray()));
        }
    }

    /// <summary>Rows of every video the user watched before the query time, not only the last 50 the model sees.</summary>
    private HashSet<long> SeenRows(EvaluationQueries queries, int query)
    {
        var seen = new HashSet<long>();
        var timelines = split.Timelines;
        for (var w = timelines.WatchStart[queries.User[query]]; w < queries.HistoryEnd[query]; w++)
        {
            var row = split.Videos.RowOf(timelines.WatchVideo[w]);
            if (row != Vocabulary.OutOfVocabulary)
            {
                seen.Add(row);
            }
        }
        return seen;
    }
}
