using System.Runtime.InteropServices;
using System.Text.Json;
using Funnel.Core;
using Funnel.Retrieval.Exact;
using Funnel.Retrieval.Hnsw;
using Funnel.Retrieval.Ivf;

namespace Funnel.Retrieval.Persistence;

/// <summary>
/// Saves an index as a folder (data files, then index.json) and opens it again with every check
/// that keeps a wrong index from answering: format version, file sizes and checksums, dimension,
/// count and model version. Saving is atomic: the folder is written beside the target and renamed
/// into place, so a crash leaves the old index or the new one, never a mix.
/// </summary>
public static class IndexFolder
{
    private const string VectorsFile = "vectors.f32";
    private const string KeysFile = "keys.i64";
    private const string GraphFile = "graph.usearch";
    private const string CentroidsFile = "centroids.f32";
    private const string ListSizesFile = "list-sizes.i32";

    /// <summary>Writes <paramref name="index"/> to <paramref name="folder"/>, replacing what is there.</summary>
    /// <param name="index">An <see cref="ExactIndex"/>, <see cref="HnswIndex"/> or <see cref="IvfIndex"/>.</param>
    /// <param name="folder">Target folder (created or replaced).</param>
    /// <param name="modelVersion">The model the vectors came from, checked on load.</param>
    public static IndexManifest Save(IVectorIndex index, string folder, string? modelVersion = null)
    {
        if (index is not (ExactIndex or HnswIndex or IvfIndex))
        {
            throw new ArgumentException($"cannot save an index of type {index.GetType().Name}");
        }
        IndexManifest? written = null;
        AtomicFolder.Write(folder, staging =>
        {
            written = index switch
            {
                ExactIndex exact => SaveExact(exact, staging, modelVersion),
                IvfIndex ivf => SaveIvf(ivf, staging, modelVersion),
                _ => SaveHnsw((HnswIndex)index, staging, modelVersion),
            };
            File.WriteAllText(Path.Combine(staging, IndexManifest.FileName), JsonSerializer.Serialize(written, FunnelJson.Files));
        });
        return written!;
    }

    /// <summary>Reads and checks the manifest of <paramref name="folder"/>.</summary>
    public static IndexManifest ReadManifest(string folder)
    {
        var path = Path.Combine(folder, IndexManifest.FileName);
        if (!File.Exists(path))
        {
            throw new InvalidDataException($"{path} is missing: {folder} is not an index folder (or its save did not complete)");
        }
        IndexManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<IndexManifest>(File.ReadAllText(path), FunnelJson.Files);
        }
        catch (JsonException error)
        {
            throw new InvalidDataException($"{path} is not a valid index manifest: {error.Message}", error);
        }
        if (manifest is null || manifest.Files is null || manifest.Kind is null || manifest.Metric is null)
        {
            throw new InvalidDataException($"{path} is not a valid index manifest: required fields are missing");
        }
        if (manifest.FormatVersion != IndexManifest.CurrentFormat)
        {
            throw new InvalidDataException($"{path}: index format {manifest.FormatVersion} is not supported (this build reads format {IndexManifest.CurrentFormat}); rebuild the index");
        }
        return manifest;
    }

    /// <summary>
    /// Opens the index in <paramref name="folder"/>, checking it against <paramref name="expected"/>.
    /// <paramref name="view"/> memory-maps an HNSW graph read-only instead of loading it (fast start,
    /// shared pages; upserts are then refused by USearch).
    /// </summary>
    public static IVectorIndex Load(string folder, IndexExpectation? expected = null, bool view = false)
    {
        var manifest = ReadManifest(folder);
        expected?.Check(manifest, folder);
        FileChecksums.Verify(folder, manifest.Files, IndexManifest.FileName);
        var metric = ParseMetric(manifest.Metric, folder);
        IVectorIndex index = manifest.Kind switch
        {
            "exact" => LoadExact(folder, manifest, metric),
            "hnsw" => LoadHnsw(folder, manifest, metric, view),
            "ivf" => LoadIvf(folder, manifest, metric),
            _ => throw new InvalidDataException($"{Path.Combine(folder, IndexManifest.FileName)}: unknown index kind '{manifest.Kind}'"),
        };
        if (index.Count != manifest.Count)
        {
            index.Dispose();
            throw new InvalidDataException($"{folder}: the index holds {index.Count:N0} vectors, its manifest promises {manifest.Count:N0}");
        }
        return index;
    }

    internal static string MetricName(IndexMetric metric) => metric == IndexMetric.Cosine ? "cosine" : "inner-product";

    private static IndexMetric ParseMetric(string name, string folder) => name switch
    {
        "cosine" => IndexMetric.Cosine,
        "inner-product" => IndexMetric.InnerProduct,
        _ => throw new InvalidDataException($"{Path.Combine(folder, IndexManifest.FileName)}: unknown metric '{name}'"),
    };

    private static IndexManifest SaveExact(ExactIndex index, string staging, string? modelVersion)
    {
        var (vectors, keys) = index.Snapshot();
        var files = new[]
        {
            WriteRaw(staging, VectorsFile, MemoryMarshal.AsBytes(vectors.AsSpan())),
            WriteRaw(staging, KeysFile, MemoryMarshal.AsBytes(keys.AsSpan())),
        };
        return new IndexManifest(IndexManifest.CurrentFormat, index.Kind, MetricName(index.Metric), index.Dimensions, keys.Length, modelVersion, null, files);
    }

    private static IndexManifest SaveHnsw(HnswIndex index, string staging, string? modelVersion)
    {
        var path = Path.Combine(staging, GraphFile);
        index.Save(path);
        var options = index.Options;
        var hnsw = new HnswManifest(options.Connectivity, options.ExpansionAdd, index.ExpansionSearch, options.Precision.ToString(), options.InnerProduct.ToString(), index.MaxNorm);
        return new IndexManifest(IndexManifest.CurrentFormat, index.Kind, MetricName(index.Metric), index.Dimensions, index.Count, modelVersion, hnsw, [FileChecksums.Of(staging, GraphFile)]);
    }

    private static ExactIndex LoadExact(string folder, IndexManifest manifest, IndexMetric metric)
    {
        var vectors = ReadRaw<float>(folder, VectorsFile);
        var keys = ReadRaw<long>(folder, KeysFile);
        if (keys.Length != manifest.Count || vectors.Length != manifest.Count * manifest.Dimensions)
        {
            throw new InvalidDataException($"{folder}: {keys.Length:N0} keys and {vectors.Length:N0} floats do not make the {manifest.Count:N0} vectors of {manifest.Dimensions} dimensions the manifest promises");
        }
        // Stored vectors are already unit length for cosine; normalising again changes nothing.
        return ExactIndex.Build(vectors, keys, manifest.Dimensions, metric);
    }

    private static IndexManifest SaveIvf(IvfIndex index, string staging, string? modelVersion)
    {
        var (centroids, vectors, keys, sizes) = index.Snapshot();
        var files = new[]
        {
            WriteRaw(staging, CentroidsFile, MemoryMarshal.AsBytes(centroids.AsSpan())),
            WriteRaw(staging, ListSizesFile, MemoryMarshal.AsBytes(sizes.AsSpan())),
            WriteRaw(staging, VectorsFile, MemoryMarshal.AsBytes(vectors.AsSpan())),
            WriteRaw(staging, KeysFile, MemoryMarshal.AsBytes(keys.AsSpan())),
        };
        var options = index.Options;
        var ivf = new IvfManifest(index.Lists, index.Probes, options.Iterations, options.SamplePerList, options.Seed, options.Rescore);
        return new IndexManifest(IndexManifest.CurrentFormat, index.Kind, MetricName(index.Metric), index.Dimensions, keys.Length, modelVersion, null, files, ivf);
    }

    private static IvfIndex LoadIvf(string folder, IndexManifest manifest, IndexMetric metric)
    {
        var lists = manifest.Ivf ?? throw new InvalidDataException($"{Path.Combine(folder, IndexManifest.FileName)}: an IVF index without its list parameters");
        var options = new IvfOptions(lists.Lists, lists.Probes, lists.Iterations, lists.SamplePerList, lists.Seed, lists.Rescore).Validate();
        var centroids = ReadRaw<float>(folder, CentroidsFile);
        var sizes = ReadRaw<int>(folder, ListSizesFile);
        var keys = ReadRaw<long>(folder, KeysFile);
        var vectorsPath = Path.Combine(folder, VectorsFile);
        if (sizes.Length != lists.Lists || keys.Length != manifest.Count || new FileInfo(vectorsPath).Length != manifest.Count * manifest.Dimensions * sizeof(float))
        {
            throw new InvalidDataException($"{folder}: {sizes.Length:N0} lists, {keys.Length:N0} keys and {new FileInfo(vectorsPath).Length:N0} bytes of vectors do not make the {lists.Lists:N0} lists of {manifest.Count:N0} {manifest.Dimensions}-dimensional vectors the manifest promises");
        }
        // Read row by row into the lists: a million-vector index is never held twice.
        using var vectors = new FileStream(vectorsPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        try
        {
            return IvfIndex.Restore(manifest.Dimensions, metric, options, centroids, sizes, keys, (_, row) => vectors.ReadExactly(MemoryMarshal.AsBytes(row)));
        }
        catch (InvalidDataException error)
        {
            throw new InvalidDataException($"{folder}: {error.Message}", error);
        }
    }

    private static HnswIndex LoadHnsw(string folder, IndexManifest manifest, IndexMetric metric, bool view)
    {
        var graph = manifest.Hnsw ?? throw new InvalidDataException($"{Path.Combine(folder, IndexManifest.FileName)}: an HNSW index without its graph parameters");
        if (!Enum.TryParse<VectorPrecision>(graph.Precision, out var precision))
        {
            throw new InvalidDataException($"{Path.Combine(folder, IndexManifest.FileName)}: unknown precision '{graph.Precision}'");
        }
        if (!Enum.TryParse<InnerProductStrategy>(graph.InnerProduct, out var strategy))
        {
            throw new InvalidDataException($"{Path.Combine(folder, IndexManifest.FileName)}: unknown inner-product strategy '{graph.InnerProduct}'");
        }
        var options = new HnswOptions(graph.Connectivity, graph.ExpansionAdd, graph.ExpansionSearch, precision, InnerProduct: strategy).Validate();
        var mapping = metric == IndexMetric.Cosine ? VectorMapping.Cosine(manifest.Dimensions) : VectorMapping.InnerProduct(manifest.Dimensions, strategy, graph.MaxNorm);
        return HnswIndex.Open(Path.Combine(folder, GraphFile), mapping, options, view);
    }

    private static FileChecksum WriteRaw(string folder, string name, ReadOnlySpan<byte> bytes)
    {
        using (var stream = new FileStream(Path.Combine(folder, name), FileMode.CreateNew, FileAccess.Write))
        {
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }
        return FileChecksums.Of(name, bytes);
    }

    private static T[] ReadRaw<T>(string folder, string name)
        where T : unmanaged
    {
        var bytes = File.ReadAllBytes(Path.Combine(folder, name));
        return MemoryMarshal.Cast<byte, T>(bytes).ToArray();
    }
}
