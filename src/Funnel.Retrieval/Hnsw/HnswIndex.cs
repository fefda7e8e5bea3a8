using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using Cloud.Unum.USearch;
using Funnel.Retrieval.Filtering;

namespace Funnel.Retrieval.Hnsw;

/// <summary>
/// Approximate search in a hierarchical navigable small-world graph (USearch). Sub-millisecond
/// queries on millions of vectors at a recall below 1, tuned by <see cref="ExpansionSearch"/>.
/// Inner product is served as <see cref="HnswOptions.InnerProduct"/> says: by default a graph
/// linked by angle and searched by inner product (see <see cref="InnerProductStrategy"/>).
/// </summary>
public sealed unsafe class HnswIndex : IVectorIndex
{
    private readonly UsearchHandle handle;
    private readonly VectorMapping mapping;
    private readonly ReaderWriterLockSlim gate = new();

    /// <summary>Bounds concurrent searches by the search contexts USearch holds.</summary>
    private readonly SemaphoreSlim searchSlots;
    private readonly int searchThreads;
    private int expansionSearch;

    private HnswIndex(UsearchHandle handle, VectorMapping mapping, HnswOptions options)
    {
        this.handle = handle;
        this.mapping = mapping;
        Options = options;
        expansionSearch = options.ExpansionSearch;
        searchThreads = Math.Max(4, 4 * Environment.ProcessorCount);
        searchSlots = new SemaphoreSlim(searchThreads, searchThreads);
    }

    /// <summary>The graph parameters the index was built with.</summary>
    public HnswOptions Options { get; }

    /// <inheritdoc />
    public string Kind => "hnsw";

    /// <inheritdoc />
    public IndexMetric Metric => mapping.Metric;

    /// <inheritdoc />
    public int Dimensions => mapping.Dimensions;

    /// <summary>The norm M of the unit-sphere reduction (1 otherwise).</summary>
    public float MaxNorm => mapping.MaxNorm;

    /// <summary>Upserted vectors longer than <see cref="MaxNorm"/>: their scores are approximate until a rebuild.</summary>
    public long ClampedVectors => mapping.Clamped;

    /// <inheritdoc />
    public long Count
    {
        get
        {
            var size = UsearchNative.Size(Pointer, out var error);
            UsearchNative.Check(error, "size");
            return (long)size;
        }
    }

    /// <summary>Bytes the native index holds (graph and vectors).</summary>
    public long MemoryBytes
    {
        get
        {
            var bytes = UsearchNative.MemoryUsage(Pointer, out var error);
            UsearchNative.Check(error, "memory usage");
            return (long)bytes;
        }
    }

    /// <summary>Bytes of the saved graph: vectors at the index's precision plus links.</summary>
    public long SerializedBytes
    {
        get
        {
            var bytes = UsearchNative.SerializedLength(Pointer, out var error);
            UsearchNative.Check(error, "serialized length");
            return (long)bytes;
        }
    }

    /// <summary>The search beam width (ef): wider finds more true neighbours, slower. Changeable at any time.</summary>
    public int ExpansionSearch
    {
        get => expansionSearch;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            using var write = gate.Write();
            UsearchNative.ChangeExpansionSearch(Pointer, (nuint)value, out var error);
            UsearchNative.Check(error, "change of the search expansion");
            expansionSearch = value;
        }
    }

    private IntPtr Pointer => handle.DangerousGetHandle();

    /// <summary>An empty index for vectors of <paramref name="dimensions"/>.</summary>
    /// <param name="dimensions">Length of every vector.</param>
    /// <param name="metric">Inner product or cosine.</param>
    /// <param name="maxNorm">For the unit-sphere reduction: its norm M (choose above the largest norm expected).</param>
    /// <param name="options">Graph parameters.</param>
    public static HnswIndex Create(int dimensions, IndexMetric metric, float maxNorm = 1, HnswOptions? options = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensions, 1);
        options = (options ?? new HnswOptions()).Validate();
        var mapping = metric == IndexMetric.Cosine ? VectorMapping.Cosine(dimensions) : VectorMapping.InnerProduct(dimensions, options.InnerProduct, maxNorm);
        return Open(mapping, options);
    }

    /// <summary>
    /// Builds an index of <paramref name="vectors"/> [keys.Length, dimensions] under
    /// <paramref name="keys"/>, inserting on <see cref="HnswOptions.BuildThreads"/> threads.
    /// </summary>
    public static HnswIndex Build(ReadOnlySpan<float> vectors, ReadOnlySpan<long> keys, int dimensions, IndexMetric metric, HnswOptions? options = null, IProgress<long>? progress = null)
    {
        if (vectors.Length != (long)keys.Length * dimensions)
        {
            throw new ArgumentException($"{vectors.Length} floats are not {keys.Length} vectors of {dimensions} dimensions");
        }
        options = (options ?? new HnswOptions()).Validate();
        var maxNorm = 0f;
        for (var i = 0; i < keys.Length; i++)
        {
            var vector = vectors.Slice(i * dimensions, dimensions);
            VectorChecks.Key(keys[i]);
            VectorChecks.Vector(vector, dimensions, $"the vector of key {keys[i]}");
            maxNorm = MathF.Max(maxNorm, TensorPrimitives.Norm(vector));
        }
        var index = Create(dimensions, metric, (float)(Math.Max(maxNorm, 1e-6f) * options.NormHeadroom), options);
        try
        {
            index.AddAll(vectors.ToArray(), keys.ToArray(), progress);
        }
        catch
        {
            index.Dispose();
            throw;
        }
        return index;
    }

    /// <summary>Opens a saved graph: loaded into memory, or memory-mapped read-only (<paramref name="view"/>).</summary>
    internal static HnswIndex Open(string path, VectorMapping mapping, HnswOptions options, bool view)
    {
        var index = Open(mapping, options);
        try
        {
            IntPtr error;
            if (view)
            {
                UsearchNative.View(index.Pointer, path, out error);
            }
            else
            {
                UsearchNative.Load(index.Pointer, path, out error);
            }
            UsearchNative.Check(error, $"{(view ? "view" : "load")} of {path}");
            var stored = UsearchNative.Dimensions(index.Pointer, out error);
            UsearchNative.Check(error, "dimensions");
            if ((int)stored != mapping.StoredDimensions)
            {
                throw new InvalidDataException($"{path}: the graph holds {stored}-dimensional vectors, the manifest promises {mapping.StoredDimensions}");
            }
            index.ReserveSearchThreads();
            index.UseMetric(mapping.SearchMetric(options.Precision));
            index.ExpansionSearch = options.ExpansionSearch;
            return index;
        }
        catch
        {
            index.Dispose();
            throw;
        }
    }

    /// <summary>Writes the graph to <paramref name="path"/> (USearch's own format).</summary>
    internal void Save(string path)
    {
        using var read = gate.Read();
        UsearchNative.Save(Pointer, path, out var error);
        UsearchNative.Check(error, $"save to {path}");
    }

    /// <inheritdoc />
    public bool Contains(long key)
    {
        if (key < 0)
        {
            return false;
        }
        using var read = gate.Read();
        var found = UsearchNative.Contains(Pointer, (ulong)key, out var error);
        UsearchNative.Check(error, "contains");
        return found;
    }

    /// <inheritdoc />
    public void Upsert(long key, ReadOnlySpan<float> vector)
    {
        VectorChecks.Key(key);
        VectorChecks.Vector(vector, Dimensions, $"the vector of key {key}");
        Span<float> stored = stackalloc float[mapping.StoredDimensions];
        using var write = gate.Write();
        mapping.MapVector(vector, stored);
        RemoveUnlocked(key);
        EnsureCapacity(1);
        UseMetric(mapping.BuildMetric(Options.Precision));
        try
        {
            fixed (float* pointer = stored)
            {
                UsearchNative.Add(Pointer, (ulong)key, pointer, ScalarKind.Float32, out var error);
                UsearchNative.Check(error, $"add of key {key}");
            }
        }
        finally
        {
            UseMetric(mapping.SearchMetric(Options.Precision));
        }
    }

    /// <inheritdoc />
    public bool Remove(long key)
    {
        if (key < 0)
        {
            return false;
        }
        using var write = gate.Write();
        return RemoveUnlocked(key);
    }

    /// <inheritdoc />
    public Neighbour[] Search(ReadOnlySpan<float> query, int k, ISearchFilter? filter = null)
    {
        VectorChecks.K(k);
        VectorChecks.Vector(query, Dimensions, "the query");
        Span<float> mapped = stackalloc float[mapping.StoredDimensions];
        var scale = mapping.MapQuery(query, mapped);
        var keys = new ulong[k];
        var distances = new float[k];
        nuint found;
        searchSlots.Wait();
        gate.EnterReadLock();
        try
        {
            found = SearchUnlocked(mapped, k, filter, keys, distances);
        }
        finally
        {
            gate.ExitReadLock();
            searchSlots.Release();
        }
        var result = new Neighbour[(int)found];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = new Neighbour((long)keys[i], VectorMapping.Score(distances[i], scale));
        }
        Array.Sort(result, Neighbour.Compare);
        return result;
    }

    /// <inheritdoc />
    public Neighbour[][] SearchBatch(ReadOnlySpan<float> queries, int k, Func<int, ISearchFilter?>? filters = null)
    {
        VectorChecks.K(k);
        var count = VectorChecks.BatchRows(queries, Dimensions);
        var copy = queries.ToArray();
        var results = new Neighbour[count][];
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, q =>
            results[q] = Search(copy.AsSpan(q * Dimensions, Dimensions), k, filters?.Invoke(q)));
        return results;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        gate.EnterWriteLock();
        try
        {
            handle.Dispose();
        }
        finally
        {
            gate.ExitWriteLock();
        }
        gate.Dispose();
        searchSlots.Dispose();
    }

    private static HnswIndex Open(VectorMapping mapping, HnswOptions options)
    {
        var native = new UsearchNative.InitOptions
        {
            MetricKind = mapping.BuildMetric(options.Precision),
            Quantization = options.Precision switch
            {
                VectorPrecision.F16 => ScalarKind.Float16,
                VectorPrecision.I8 => ScalarKind.Int8,
                _ => ScalarKind.Float32,
            },
            Dimensions = (nuint)mapping.StoredDimensions,
            Connectivity = (nuint)options.Connectivity,
            ExpansionAdd = (nuint)options.ExpansionAdd,
            ExpansionSearch = (nuint)options.ExpansionSearch,
        };
        var pointer = UsearchNative.Init(&native, out var error);
        UsearchNative.Check(error, "init");
        return new HnswIndex(new UsearchHandle(pointer), mapping, options);
    }

    private void AddAll(float[] vectors, long[] keys, IProgress<long>? progress)
    {
        var threads = Options.EffectiveBuildThreads;
        UsearchNative.ChangeThreadsAdd(Pointer, (nuint)threads, out var error);
        UsearchNative.Check(error, "change of the insertion threads");
        EnsureCapacity(keys.Length);
        long added = 0;
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, thread =>
        {
            var stored = new float[mapping.StoredDimensions];
            for (var i = thread; i < keys.Length; i += threads)
            {
                mapping.MapVector(vectors.AsSpan(i * Dimensions, Dimensions), stored);
                fixed (float* pointer = stored)
                {
                    UsearchNative.Add(Pointer, (ulong)keys[i], pointer, ScalarKind.Float32, out var addError);
                    UsearchNative.Check(addError, $"add of key {keys[i]}");
                }
                if (Interlocked.Increment(ref added) % 10_000 == 0)
                {
                    progress?.Report(Interlocked.Read(ref added));
                }
            }
        });
        progress?.Report(keys.Length);
        UseMetric(mapping.SearchMetric(Options.Precision));
    }

    /// <summary>Switches the metric USearch follows (the graph's links stay as they are).</summary>
    private void UseMetric(MetricKind metric)
    {
        UsearchNative.ChangeMetricKind(Pointer, (uint)metric, out var error);
        UsearchNative.Check(error, $"change of the metric to {metric}");
    }

    /// <summary>Grows capacity (doubling) so <paramref name="more"/> vectors fit; also sizes the search contexts.</summary>
    private void EnsureCapacity(long more)
    {
        var capacity = UsearchNative.Capacity(Pointer, out var error);
        UsearchNative.Check(error, "capacity");
        var size = UsearchNative.Size(Pointer, out error);
        UsearchNative.Check(error, "size");
        if ((ulong)size + (ulong)more <= (ulong)capacity)
        {
            return;
        }
        var wanted = Math.Max((ulong)size + (ulong)more, Math.Max(2 * (ulong)capacity, 1024));
        UsearchNative.Reserve(Pointer, (nuint)wanted, out error);
        UsearchNative.Check(error, $"reserve of {wanted} vectors");
        ReserveSearchThreads();
    }

    private void ReserveSearchThreads()
    {
        UsearchNative.ChangeThreadsSearch(Pointer, (nuint)searchThreads, out var error);
        UsearchNative.Check(error, "change of the search threads");
    }

    private bool RemoveUnlocked(long key)
    {
        var removed = UsearchNative.Remove(Pointer, (ulong)key, out var error);
        UsearchNative.Check(error, $"remove of key {key}");
        return removed > 0;
    }

    private nuint SearchUnlocked(ReadOnlySpan<float> query, int k, ISearchFilter? filter, ulong[] keys, float[] distances)
    {
        IntPtr error;
        nuint found;
        fixed (float* queryPointer = query)
        fixed (ulong* keyPointer = keys)
        fixed (float* distancePointer = distances)
        {
            if (filter is null)
            {
                found = UsearchNative.Search(Pointer, queryPointer, ScalarKind.Float32, (nuint)k, keyPointer, distancePointer, out error);
            }
            else
            {
                var state = GCHandle.Alloc(filter);
                try
                {
                    found = UsearchNative.FilteredSearch(Pointer, queryPointer, ScalarKind.Float32, (nuint)k, &AllowsKey, GCHandle.ToIntPtr(state), keyPointer, distancePointer, out error);
                }
                finally
                {
                    state.Free();
                }
            }
        }
        UsearchNative.Check(error, "search");
        return found;
    }

    /// <summary>USearch's filter callback: non-zero keeps the key. Exceptions must not cross into native code.</summary>
    [UnmanagedCallersOnly]
    private static int AllowsKey(ulong key, IntPtr state)
    {
        try
        {
            var filter = (ISearchFilter)GCHandle.FromIntPtr(state).Target!;
            return filter.Allows((long)key) ? 1 : 0;
        }
        catch (Exception)
        {
            return 0;
        }
    }
}
