using System.Numerics.Tensors;
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
        using var read = gate.Read();
        return (rows.Values.ToArray(), rows.Keys.ToArray());
    }

    /// <inheritdoc />
    public bool Contains(long key)
    {
        using var read = gate.Read();
        return rows.Contains(key);
    }

    /// <inheritdoc />
    public void Upsert(long key, ReadOnlySpan<float> vector)
    {
        VectorChecks.Key(key);
        VectorChecks.Vector(vector, Dimensions, $"the vector of key {key}");
        using var write = gate.Write();
        var target = rows.Write(key);
        vector.CopyTo(target);
        if (Metric == IndexMetric.Cosine)
        {
            UnitVectors.Normalise(target);
        }
    }

    /// <inheritdoc />
    public bool Remove(long key)
    {
        using var write = gate.Write();
        return rows.Remove(key);
    }

    /// <inheritdoc />
    public Neighbour[] Search(ReadOnlySpan<float> query, int k, ISearchFilter? filter = null)
    {
        VectorChecks.K(k);
        VectorChecks.Vector(query, Dimensions, "the query");
        var prepared = UnitVectors.Prepare(query, Metric);
        using var read = gate.Read();
        var best = new TopK(Math.Min(k, Math.Max(rows.Count, 1)));
        var values = rows.Values;
        var keys = rows.Keys;
        for (var row = 0; row < keys.Length; row++)
        {
            var score = TensorPrimitives.Dot(prepared, values.Slice(row * Dimensions, Dimensions));
            best.OfferAllowed(keys[row], score, filter);
        }
        return best.ToSortedArray();
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
            UnitVectors.Prepare(query, Metric).CopyTo(prepared.AsSpan(q * Dimensions));
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
                best[q].OfferScores(scores.AsSpan(q * count, count), keys.Slice(start, count), filterOf[q]);
            }
        }
        for (var q = 0; q < queryCount; q++)
        {
            results[first + q] = best[q].ToSortedArray();
        }
    }
}
