using System.Buffers;
using System.Numerics.Tensors;
using Funnel.Retrieval.Exact;
using Funnel.Retrieval.Filtering;

namespace Funnel.Retrieval.Ivf;

/// <summary>
/// An inverted-file index (FAISS's IVF-Flat): the vectors are partitioned by spherical k-means, each
/// list stored contiguously, and a query scans exactly the <see cref="Probes"/> lists whose centroids
/// lie nearest its direction. Where a graph walk reads a thousand scattered vectors per beam step, a
/// list scan streams memory in order, so it suits the wide result sets of candidate generation (300
/// of a million) and builds in seconds rather than the graph's minutes. Recall depends on how the
/// vectors cluster: measure it against the exact index before trusting a probe count.
/// </summary>
public sealed class IvfIndex : IVectorIndex
{
    private readonly float[] centroids;
    private readonly IvfList[] lists;
    private readonly Dictionary<long, int> listOfKey;
    private readonly ReaderWriterLockSlim gate = new();
    private int probes;

    private IvfIndex(int dimensions, IndexMetric metric, IvfOptions options, float[] centroids, int[] listSizes)
    {
        Dimensions = dimensions;
        Metric = metric;
        Options = options;
        this.centroids = centroids;
        probes = options.Probes;
        lists = [.. listSizes.Select(size => new IvfList(dimensions, size))];
        listOfKey = new Dictionary<long, int>(listSizes.Sum());
    }

    /// <summary>Partitions <paramref name="vectors"/> [keys.Length, dimensions] into lists and stores them under <paramref name="keys"/>.</summary>
    public static IvfIndex Build(ReadOnlySpan<float> vectors, ReadOnlySpan<long> keys, int dimensions, IndexMetric metric = IndexMetric.InnerProduct, IvfOptions? options = null, Action<string>? log = null)
    {
        var settings = (options ?? new IvfOptions()).Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensions, 1);
        if (vectors.Length != (long)keys.Length * dimensions)
        {
            throw new ArgumentException($"{vectors.Length} floats are not {keys.Length} vectors of {dimensions} dimensions");
        }
        for (var i = 0; i < keys.Length; i++)
        {
            VectorChecks.Key(keys[i]);
            VectorChecks.Vector(vectors.Slice(i * dimensions, dimensions), dimensions, $"the vector of key {keys[i]}");
        }
        var listCount = settings.ListsFor(keys.Length);
        var centroids = keys.Length == 0 ? new float[dimensions] : SphericalKMeans.Train(vectors, dimensions, listCount, settings, log);
        // A row's nearest centroid by inner product is its nearest by direction: its own norm scales every score alike.
        var assignment = SphericalKMeans.Assign(vectors, centroids, dimensions);
        var sizes = new int[centroids.Length / dimensions];
        foreach (var list in assignment)
        {
            sizes[list]++;
        }
        var index = new IvfIndex(dimensions, metric, settings, centroids, sizes);
        for (var i = 0; i < keys.Length; i++)
        {
            index.Store(keys[i], assignment[i], vectors.Slice(i * dimensions, dimensions));
        }
        log?.Invoke($"ivf: {keys.Length:N0} vectors in {sizes.Length:N0} lists (largest {(sizes.Length == 0 ? 0 : sizes.Max()):N0})");
        return index;
    }

    /// <summary>
    /// Reopens a saved index: its centroids and its vectors in list order (<paramref name="listSizes"/>
    /// rows per list), without training. Vectors are stored as saved (unit length for cosine).
    /// </summary>
    internal static IvfIndex Restore(int dimensions, IndexMetric metric, IvfOptions options, float[] centroids, int[] listSizes, ReadOnlySpan<long> keys, Action<int, Span<float>> readVector)
    {
        if (dimensions < 1 || listSizes.Length < 1 || centroids.Length != (long)listSizes.Length * dimensions || listSizes.Sum(s => (long)s) != keys.Length || listSizes.Any(s => s < 0))
        {
            throw new InvalidDataException($"{listSizes.Length:N0} lists of {listSizes.Sum(s => (long)s):N0} rows and {centroids.Length:N0} centroid floats do not fit {keys.Length:N0} keys of {dimensions} dimensions");
        }
        if (VectorChecks.FirstNonFinite(centroids) >= 0)
        {
            throw new InvalidDataException("a centroid has a non-finite component");
        }
        var index = new IvfIndex(dimensions, metric, options, centroids, listSizes);
        var vector = new float[dimensions];
        var row = 0;
        for (var list = 0; list < listSizes.Length; list++)
        {
            for (var i = 0; i < listSizes[list]; i++, row++)
            {
                if (!index.listOfKey.TryAdd(keys[row], list))
                {
                    throw new InvalidDataException($"key {keys[row]} is stored twice (rows of lists {index.listOfKey[keys[row]]} and {list})");
                }
                readVector(row, vector);
                if (keys[row] < 0 || VectorChecks.FirstNonFinite(vector) >= 0)
                {
                    throw new InvalidDataException($"row {row:N0} (key {keys[row]}) has a negative key or a non-finite component");
                }
                index.lists[list].Write(keys[row], vector);
            }
        }
        return index;
    }

    /// <inheritdoc />
    public string Kind => "ivf";

    /// <inheritdoc />
    public IndexMetric Metric { get; }

    /// <inheritdoc />
    public int Dimensions { get; }

    /// <inheritdoc />
    public long Count => listOfKey.Count;

    /// <summary>How the index was built (<see cref="IvfOptions.Probes"/> as built; <see cref="Probes"/> is the current setting).</summary>
    public IvfOptions Options { get; }

    /// <summary>Partitions.</summary>
    public int Lists => lists.Length;

    /// <summary>Lists scanned per query; set it between searches, not during them.</summary>
    public int Probes
    {
        get => probes;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            probes = value;
        }
    }

    /// <summary>The centroids, and every stored vector and key in list order with each list's size, as saved.</summary>
    internal (float[] Centroids, float[] Vectors, long[] Keys, int[] ListSizes) Snapshot()
    {
        using var read = gate.Read();
        var vectors = new float[Count * Dimensions];
        var keys = new long[Count];
        var at = 0;
        foreach (var list in lists)
        {
            list.Values.CopyTo(vectors.AsSpan(at * Dimensions));
            list.Keys.CopyTo(keys.AsSpan(at));
            at += list.Count;
        }
        return ((float[])centroids.Clone(), vectors, keys, [.. lists.Select(l => l.Count)]);
    }

    /// <inheritdoc />
    public bool Contains(long key)
    {
        using var read = gate.Read();
        return listOfKey.ContainsKey(key);
    }

    /// <summary>Stores the vector in the list of its nearest centroid (a fresh upload joins the partition it falls in; the centroids stay).</summary>
    public void Upsert(long key, ReadOnlySpan<float> vector)
    {
        VectorChecks.Key(key);
        VectorChecks.Vector(vector, Dimensions, $"the vector of key {key}");
        var list = NearestLists(vector, 1)[0];
        using var write = gate.Write();
        Store(key, list, vector);
    }

    /// <inheritdoc />
    public bool Remove(long key)
    {
        using var write = gate.Write();
        return listOfKey.Remove(key, out var list) && lists[list].Remove(key);
    }

    /// <summary>
    /// The nearest stored vectors among the <see cref="Probes"/> lists nearest the query's direction.
    /// The lists are scanned by their 8-bit codes, and the best <see cref="IvfOptions.Rescore"/> × k
    /// are scored again exactly in f32 and ranked by that score (Rescore 0 scans the f32 vectors).
    /// </summary>
    public Neighbour[] Search(ReadOnlySpan<float> query, int k, ISearchFilter? filter = null)
    {
        VectorChecks.K(k);
        VectorChecks.Vector(query, Dimensions, "the query");
        var prepared = UnitVectors.Prepare(query, Metric);
        using var read = gate.Read();
        var best = new TopK((int)Math.Min(k, Math.Max(Count, 1)));
        var probed = NearestLists(prepared, probes);
        var rows = probed.Max(l => lists[l].Count) + 1;
        var scores = ArrayPool<float>.Shared.Rent(rows);
        var dots = ArrayPool<int>.Shared.Rent(rows);
        try
        {
            if (Options.Rescore == 0)
            {
                foreach (var list in probed)
                {
                    ScanExact(prepared, lists[list], scores, best, filter);
                }
                return best.ToSortedArray();
            }
            var candidates = new TopK((int)Math.Min((long)k * Options.Rescore, Math.Max(Count, 1)));
            Span<sbyte> codes = stackalloc sbyte[Dimensions];
            Span<byte> offset = stackalloc byte[Dimensions];
            var queryScale = Int8Codes.Encode(prepared, codes);
            Int8Codes.Offset(codes, offset);
            foreach (var list in probed)
            {
                var rowsOfList = lists[list];
                var count = rowsOfList.Count;
                Int8Codes.Dots(codes, offset, rowsOfList.Codes, rowsOfList.CodeSums, dots.AsSpan(0, count));
                var scales = rowsOfList.Scales;
                for (var row = 0; row < count; row++)
                {
                    scores[row] = dots[row] * queryScale * scales[row];
                }
                // Candidates are kept by where they are (list, row), so rescoring needs no lookup by key.
                candidates.OfferRows(scores.AsSpan(0, count), rowsOfList.Keys, filter, (long)list << 32);
            }
            foreach (var id in candidates.Ids)
            {
                var rowsOfList = lists[(int)(id >> 32)];
                var row = (int)(id & uint.MaxValue);
                best.Offer(rowsOfList.Keys[row], TensorPrimitives.Dot(prepared, rowsOfList.Values.Slice(row * Dimensions, Dimensions)));
            }
            return best.ToSortedArray();
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scores);
            ArrayPool<int>.Shared.Return(dots);
        }
    }

    /// <summary>Searches every row of <paramref name="queries"/>, one query per core at a time.</summary>
    public Neighbour[][] SearchBatch(ReadOnlySpan<float> queries, int k, Func<int, ISearchFilter?>? filters = null)
    {
        VectorChecks.K(k);
        var queryCount = VectorChecks.BatchRows(queries, Dimensions);
        var copy = queries.ToArray();
        var results = new Neighbour[queryCount][];
        Parallel.For(0, queryCount, q => results[q] = Search(copy.AsSpan(q * Dimensions, Dimensions), k, filters?.Invoke(q)));
        return results;
    }

    /// <inheritdoc />
    public void Dispose() => gate.Dispose();

    /// <summary>Offers every row of <paramref name="list"/> by its exact f32 score.</summary>
    private void ScanExact(ReadOnlySpan<float> query, IvfList list, float[] scores, TopK best, ISearchFilter? filter)
    {
        var values = list.Values;
        for (var row = 0; row < list.Count; row++)
        {
            scores[row] = TensorPrimitives.Dot(query, values.Slice(row * Dimensions, Dimensions));
        }
        best.OfferScores(scores.AsSpan(0, list.Count), list.Keys, filter);
    }

    /// <summary>The <paramref name="count"/> lists whose centroids score highest against <paramref name="vector"/>.</summary>
    private int[] NearestLists(ReadOnlySpan<float> vector, int count)
    {
        var nearest = new TopK(Math.Min(count, lists.Length));
        for (var list = 0; list < lists.Length; list++)
        {
            nearest.Offer(list, TensorPrimitives.Dot(vector, centroids.AsSpan(list * Dimensions, Dimensions)));
        }
        return [.. nearest.ToSortedArray().Select(n => (int)n.Key)];
    }

    /// <summary>Writes a checked vector into <paramref name="list"/>, out of any other list (unit length for cosine); the caller holds the write lock or owns the index.</summary>
    private void Store(long key, int list, ReadOnlySpan<float> vector)
    {
        if (Metric == IndexMetric.Cosine)
        {
            var unit = vector.ToArray();
            UnitVectors.Normalise(unit);
            lists[list].Write(key, unit);
        }
        else
        {
            lists[list].Write(key, vector);
        }
        // Written first, then moved out of its old list: a write that throws leaves the key where it was.
        if (listOfKey.TryGetValue(key, out var old) && old != list)
        {
            lists[old].Remove(key);
        }
        listOfKey[key] = list;
    }
}
