using System.Globalization;
using System.Runtime.InteropServices;
using Funnel.Core;
using Funnel.Retrieval.Exact;

namespace Funnel.Benchmarks.Retrieval;

/// <summary>
/// The raw layout of ../shared/peers/gen_ann_data.py, which the ANN peer reads: {tag}base_{N}x{D}.f32,
/// {tag}query_{Q}x{D}.f32 and {tag}gt_{Q}x{K}.i32 (the exact top K of each query by inner product,
/// file row i being key i), little-endian, each written atomically.
/// </summary>
internal static class PeerFileSet
{
    /// <summary>Writes the three files of <paramref name="vectors"/> and <paramref name="queries"/> with their exact truth; returns their paths.</summary>
    public static IReadOnlyList<string> Write(string folder, string tag, float[] vectors, float[] queries, int dimensions)
    {
        var count = vectors.Length / dimensions;
        var queryCount = queries.Length / dimensions;
        using var exact = ExactIndex.Build(vectors, [.. Enumerable.Range(0, count).Select(i => (long)i)], dimensions);
        var truth = exact.SearchBatch(queries, RetrievalBenchmarkOptions.K).SelectMany(found => found.Select(n => (int)n.Key)).ToArray();
        Directory.CreateDirectory(folder);
        string[] paths =
        [
            Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"{tag}base_{count}x{dimensions}.f32")),
            Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"{tag}query_{queryCount}x{dimensions}.f32")),
            Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"{tag}gt_{queryCount}x{RetrievalBenchmarkOptions.K}.i32")),
        ];
        Save(paths[0], vectors);
        Save(paths[1], queries);
        Save(paths[2], truth);
        return paths;
    }

    /// <summary>Writes <paramref name="values"/> raw to <paramref name="path"/>, atomically.</summary>
    public static void Save<T>(string path, T[] values)
        where T : unmanaged =>
        AtomicFile.Write(path, temporary =>
        {
            using var file = File.Create(temporary);
            file.Write(MemoryMarshal.AsBytes(values.AsSpan()));
        });
}
