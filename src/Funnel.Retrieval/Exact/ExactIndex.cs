using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Funnel.Retrieval.Filtering;

namespace Funnel.Retrieval.Exact;

/// <summary>
/// Brute-force search: every stored vector is scored against the query. The oracle that
/// approximate indexes are measured against, and the right choice for small corpora (no build,
/// no recall loss). One query streams the matrix once (memory-bound, TensorPrimitives.Dot per
/// row); a batch is cut into blocks of queries × blocks of rows that stay in cache and are scored
/// by <see cref="DotKernel"/> (compute-bound), one block of queries per core.
/// </summary>
public sealed class ExactIndex : IVectorIndex
{
    /// <summary>Fewest queries scored together against each block of rows (a multiple of the kernel's 6).</summary>
    private const int MinQueryBlock = 120;

    /// <summary>Most queries per block: 480 queries of 256 floats (480 KB) still sit in a core's L2 cache.</summary>
    private const int MaxQueryBlock = 480;

    /// <summary>Rows per block: 256 rows of 256 floats (256 KB) stay in a core's L2 cache.</summary>
    private const int RowBlockBytes = 256 * 1024;

    private readonly VectorRows rows;
    private readonly ReaderWriterLockSlim gate = new();

    /// <summary>Creates an empty index.</summary>
    /// <param name="dimensions">Length of every vector.</param>
    /// <param name="metric">Inner product or cosine.</param>
    /// <param name="capacity">Vectors to make room for up front.</param>
    public ExactIndex(int dimensions, IndexMetric metric = IndexMetric.InnerProduct, int capacity = 1024)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensions, 1);
        Metric = metric;
        rows = new VectorRows(dimensions, capacity);
    }

    /// <summary>Builds an index of <paramref name="vectors"/> [keys.Length, dimensions] under <paramref name="keys"/>.</summary>
    public static ExactIndex Build(ReadOnlySpan<float> vectors, ReadOnlySpan<long> keys, int dimensions, IndexMetric metric = IndexMetric.InnerProduct)
    {
        if (vectors.Length != (long)keys.Length * dimensions)
        {
            throw new ArgumentException($"{vectors.Length} floats are not {keys.Length} vectors of {dimensions} dimensions");
        }
        var index = new ExactIndex(dimensions, metric, keys.Length);
        for (var i = 0; i < keys.Length; i++)
        {
            index.Upsert(keys[i], vectors.Slice(i * dimensions, dimensions));
        }
        return index;
    }

    /// <inheritdoc />
    public string Kind => "exact";

    /// <inheritdoc />
    public IndexMetric Metric { get; }

    /// <inheritdoc />
    public int Dimensions => rows.Dimensions;

    /// <inheritdoc />
    public long Count => rows.Count;

    /// <summary>The stored vectors [Count, Dimensions] and their keys, as saved (normalised for cosine).</summary>
    internal (float[] Vectors, long[] Keys) Snapshot()
    {
        gate.EnterReadLock();
        try
        {
            return (rows.Values.ToArray(), rows.Keys.ToArray());
        }
        finally
        {
            gate.ExitReadLock();
        }
    }

    /// <inheritdoc />
    public bool Contains(long key)
    {
        gate.EnterReadLock();
        try
        {
            return rows.Contains(key);
        }
        finally
        {
            gate.ExitReadLock();
        }
    }

    /// <inheritdoc />
    public void Upsert(long key, ReadOnlySpan<float> vector)
    {
        VectorChecks.Key(key);
        VectorChecks.Vector(vector, Dimensions, $"the vector of key {key}");
        gate.EnterWriteLock();
        try
        {
            var target = rows.Write(key);
            vector.CopyTo(target);
            if (Metric == IndexMetric.Cosine)
            {
                Normalise(target);
            }
        }
        finally
        {
            gate.ExitWriteLock();
        }
    }

    /// <inheritdoc />
    public bool Remove(long key)
    {
        gate.EnterWriteLock();
        try
        {
            return rows.Remove(key);
        }
        finally
        {
            gate.ExitWriteLock();
        }
    }

    /// <inheritdoc />
    public Neighbour[] Search(ReadOnlySpan<float> query, int k, ISearchFilter? filter = null)
    {
        VectorChecks.K(k);
        VectorChecks.Vector(query, Dimensions, "the query");
        var prepared = Prepare(query);
        gate.EnterReadLock();
        try
        {
            var best = new TopK(Math.Min(k, Math.Max(rows.Count, 1)));
            var values = rows.Values;
            var keys = rows.Keys;
            for (var row = 0; row < keys.Length; row++)
            {
                var score = TensorPrimitives.Dot(prepared, values.Slice(row * Dimensions, Dimensions));
                Offer(best, keys[row], score, filter);
            }
            return best.ToSortedArray();
        }
        finally
        {
            gate.ExitReadLock();
        }
    }

    /// <inheritdoc />
    public Neighbour[][] SearchBatch(ReadOnlySpan<float> queries, int k, Func<int, ISearchFilter?>? filters = null)
    {
        VectorChecks.K(k);
        var queryCount = VectorChecks.BatchRows(queries, Dimensions);
        var prepared = new float[queries.Length];
        for (var q = 0; q < queryCount; q++)
        {
            var query = queries.Slice(q * Dimensions, Dimensions);
            VectorChecks.Vector(query, Dimensions, $"query {q}");
            Prepare(query).CopyTo(prepared.AsSpan(q * Dimensions));
        }
        var results = new Neighbour[queryCount][];
        // Rows are packed once per block of queries, so blocks are as large as the cache allows
        // while still giving every core one: 1,000 queries on 2 cores → 4 blocks of 252.
        var perCore = (queryCount + (2 * Environment.ProcessorCount) - 1) / (2 * Environment.ProcessorCount);
        var queryBlock = Math.Clamp((perCore + 5) / 6 * 6, MinQueryBlock, MaxQueryBlock);
        var blocks = (queryCount + queryBlock - 1) / queryBlock;
        gate.EnterReadLock();
        try
        {
            Parallel.For(0, blocks, block =>
            {
                var first = block * queryBlock;
                var count = Math.Min(queryBlock, queryCount - first);
                SearchBlock(prepared.AsSpan(first * Dimensions, count * Dimensions), first, k, filters, results);
            });
        }
        finally
        {
            gate.ExitReadLock();
        }
        return results;
    }

    /// <inheritdoc />
    public void Dispose() => gate.Dispose();

    /// <summary>Scores one block of queries against the whole matrix, a cache-sized block of rows at a time.</summary>
    private void SearchBlock(ReadOnlySpan<float> queries, int first, int k, Func<int, ISearchFilter?>? filters, Neighbour[][] results)
    {
        var queryCount = queries.Length / Dimensions;
        var rowBlock = Math.Max(4, RowBlockBytes / (sizeof(float) * Dimensions));
        var best = new TopK[queryCount];
        var filterOf = new ISearchFilter?[queryCount];
        for (var q = 0; q < queryCount; q++)
        {
            best[q] = new TopK(Math.Min(k, Math.Max(rows.Count, 1)));
            filterOf[q] = filters?.Invoke(first + q);
        }
        var scores = new float[queryCount * rowBlock];
        var values = rows.Values;
        var keys = rows.Keys;
        for (var start = 0; start < keys.Length; start += rowBlock)
        {
            var count = Math.Min(rowBlock, keys.Length - start);
            DotKernel.Scores(queries, values.Slice(start * Dimensions, count * Dimensions), Dimensions, scores);
            for (var q = 0; q < queryCount; q++)
            {
                OfferRow(best[q], filterOf[q], scores.AsSpan(q * count, count), keys.Slice(start, count));
            }
        }
        for (var q = 0; q < queryCount; q++)
        {
            results[first + q] = best[q].ToSortedArray();
        }
    }

    /// <summary>
    /// Offers a block's scores to one query's heap. Once the heap is full almost no score beats its
    /// threshold, so 8 scores are compared at once and only the lanes that pass are visited.
    /// </summary>
    private static void OfferRow(TopK best, ISearchFilter? filter, ReadOnlySpan<float> scores, ReadOnlySpan<long> keys)
    {
        var r = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref var first = ref MemoryMarshal.GetReference(scores);
            for (; r + Vector256<float>.Count <= scores.Length; r += Vector256<float>.Count)
            {
                var passing = Vector256.GreaterThanOrEqual(Vector256.LoadUnsafe(ref first, (nuint)r), Vector256.Create(best.Threshold)).ExtractMostSignificantBits();
                while (passing != 0)
                {
                    var lane = BitOperations.TrailingZeroCount(passing);
                    Offer(best, keys[r + lane], scores[r + lane], filter);
                    passing &= passing - 1;
                }
            }
        }
        for (; r < scores.Length; r++)
        {
            Offer(best, keys[r], scores[r], filter);
        }
    }

    private static void Offer(TopK best, long key, float score, ISearchFilter? filter)
    {
        // The threshold test first: most rows cannot enter, and the filter may cost a hash lookup.
        if (score >= best.Threshold && (filter is null || filter.Allows(key)))
        {
            best.Offer(key, score);
        }
    }

    private ReadOnlySpan<float> Prepare(ReadOnlySpan<float> query)
    {
        if (Metric != IndexMetric.Cosine)
        {
            return query;
        }
        var copy = query.ToArray();
        Normalise(copy);
        return copy;
    }

    /// <summary>Scales to unit length; a zero vector stays zero (its cosine with anything is 0).</summary>
    internal static void Normalise(Span<float> vector)
    {
        var norm = TensorPrimitives.Norm(vector);
        if (norm > 0)
        {
            TensorPrimitives.Divide(vector, norm, vector);
        }
    }
}
