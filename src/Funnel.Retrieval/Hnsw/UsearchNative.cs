using System.Runtime.InteropServices;
using Cloud.Unum.USearch;

namespace Funnel.Retrieval.Hnsw;

/// <summary>
/// USearch's C API, from the native library the Cloud.Unum.USearch package ships. The package's
/// C# class hides the index handle and lacks what serving needs: changing the search expansion of
/// a built or loaded index, reserving capacity before a parallel build, and filtered search (a
/// predicate evaluated during graph traversal). So Funnel owns the handle and calls the C API
/// directly; the enums come from the package, so their values always match its native library.
/// </summary>
internal static unsafe partial class UsearchNative
{
    private const string Library = "libusearch_c";

    /// <summary>usearch_init_options_t, field for field.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct InitOptions
    {
        public MetricKind MetricKind;
        public IntPtr Metric;
        public ScalarKind Quantization;
        public nuint Dimensions;
        public nuint Connectivity;
        public nuint ExpansionAdd;
        public nuint ExpansionSearch;
        public byte Multi;
    }

    [LibraryImport(Library, EntryPoint = "usearch_init")]
    public static partial IntPtr Init(InitOptions* options, out IntPtr error);

    [LibraryImport(Library, EntryPoint = "usearch_free")]
    public static partial void Free(IntPtr index, out IntPtr error);

    [LibraryImport(Library, EntryPoint = "usearch_save", StringMarshalling = StringMarshalling.Utf8)]
    public static partial void Save(IntPtr index, string path, out IntPtr error);

    [LibraryImport(Library, EntryPoint = "usearch_load", StringMarshalling = StringMarshalling.Utf8)]
    public static partial void Load(IntPtr index, string path, out IntPtr error);

    [LibraryImport(Library, EntryPoint = "usearch_view", StringMarshalling = StringMarshalling.Utf8)]
    public static partial void View(IntPtr index, string path, out IntPtr error);

    [LibraryImport(Library, EntryPoint = "usearch_size")]
    public static partial nuint Size(IntPtr index, out IntPtr error);

    [LibraryImport(Library, EntryPoint = "usearch_capacity")]
    public static partial nuint Capacity(IntPtr index, out IntPtr error);

    [LibraryImport(Library, EntryPoint = "usearch_dimensions")]
    public static partial nuint Dimensions(IntPtr index, out IntPtr error);

    [LibraryImport(Library, EntryPoint = "usearch_memory_usage")]
    public static partial nuint MemoryUsage(IntPtr index, out IntPtr error);

    [LibraryImport(Library, EntryPoint = "usearch_serialized_length")]
    public static partial nuint SerializedLength(IntPtr index, out IntPtr error);

    [LibraryImport(Library, EntryPoint = "usearch_reserve")]
    public static partial void Reserve(IntPtr index, nuint capacity, out IntPtr error);

    [LibraryImport(Library, EntryPoint = "usearch_change_expansion_search")]
    public static partial void ChangeExpansionSearch(IntPtr index, nuint expansion, out IntPtr error);

    [LibraryImport(Library, EntryPoint = "usearch_change_metric_kind")]
    public static partial void ChangeMetricKind(IntPtr index, uint kind, out IntPtr error);

    [LibraryImport(Library, EntryPoint = "usearch_change_threads_add")]
    public static partial void ChangeThreadsAdd(IntPtr index, nuint threads, out IntPtr error);

    [LibraryImport(Library, EntryPoint = "usearch_change_threads_search")]
    public static partial void ChangeThreadsSearch(IntPtr index, nuint threads, out IntPtr error);

    [LibraryImport(Library, EntryPoint = "usearch_add")]
    public static partial void Add(IntPtr index, ulong key, float* vector, ScalarKind kind, out IntPtr error);

    [LibraryImport(Library, EntryPoint = "usearch_contains")]
    [return: MarshalAs(UnmanagedType.U1)]
    public static partial bool Contains(IntPtr index, ulong key, out IntPtr error);

    [LibraryImport(Library, EntryPoint = "usearch_remove")]
    public static partial nuint Remove(IntPtr index, ulong key, out IntPtr error);

    [LibraryImport(Library, EntryPoint = "usearch_search")]
    public static partial nuint Search(IntPtr index, float* query, ScalarKind kind, nuint count, ulong* keys, float* distances, out IntPtr error);

    [LibraryImport(Library, EntryPoint = "usearch_filtered_search")]
    public static partial nuint FilteredSearch(IntPtr index, float* query, ScalarKind kind, nuint count, delegate* unmanaged<ulong, IntPtr, int> filter, IntPtr state, ulong* keys, float* distances, out IntPtr error);

    /// <summary>Throws with USearch's message when a call reported an error.</summary>
    public static void Check(IntPtr error, string operation)
    {
        if (error != IntPtr.Zero)
        {
            throw new UsearchException($"USearch {operation} failed: {Marshal.PtrToStringUTF8(error)}");
        }
    }
}
