using System.Globalization;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using Funnel.Candidates.Inference;
using Funnel.Core;
using Funnel.Retrieval;
using Funnel.Retrieval.Exact;
using Funnel.Serving.Models;

namespace Funnel.Benchmarks.HotPath;

/// <summary>
/// The served index's vectors and a thousand hot-path users' vectors in the raw files the ANN peer
/// reads (../shared/peers/ann_bench.py with <c>ANN_TAG=hot_</c>), with the exact top 100 of each,
/// so hnswlib and FAISS search the very vectors the service searches. The peer scores by inner
/// product: for a cosine index both sides are written L2-normalised, which orders as cosine does.
/// Positions in the base file are vocabulary rows − 1 (row 0, the unknown video, is never indexed).
/// </summary>
public static class PeerFiles
{
    /// <summary>The file-name prefix (the peer's <c>ANN_TAG</c>).</summary>
    public const string Tag = "hot_";

    /// <summary>The peer's fixed query count and truth depth.</summary>
    public const int Queries = 1_000, K = 100;

    /// <summary>Writes base, query and truth files into <paramref name="folder"/>; returns their paths.</summary>
    public static IReadOnlyList<string> Write(ServingModel model, string folder, Action<string> log)
    {
        var network = model.Candidates.Network;
        var dimensions = network.Options.EmbeddingDimension;
        var (vectors, _) = CandidateIndex.IndexedVectors(network);
        var count = vectors.Length / dimensions;
        var random = new Random(3);
        var queries = new float[Queries * dimensions];
        for (var q = 0; q < Queries; q++)
        {
            var watched = RecommendationHotPath.UserWatches(model, random).Select(e => e.VideoId).ToList();
            model.Candidates.UserVectors([new UserHistory(watched, [])]).CopyTo(queries.AsSpan(q * dimensions, dimensions));
        }
        if (model.Index.Metric == IndexMetric.Cosine)
        {
            Normalise(vectors, dimensions);
            Normalise(queries, dimensions);
        }
        log(string.Create(CultureInfo.InvariantCulture, $"bench hot-path: exact top {K} of {Queries:N0} users' vectors among {count:N0} for the peer files"));
        var positions = Enumerable.Range(0, count).Select(p => (long)p).ToArray();
        using var exact = ExactIndex.Build(vectors, positions, dimensions, IndexMetric.InnerProduct);
        var found = exact.SearchBatch(queries, K);
        var truth = found.SelectMany(neighbours => neighbours.Select(n => (int)n.Key)).ToArray();
        Directory.CreateDirectory(folder);
        string[] paths =
        [
            Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"{Tag}base_{count}x{dimensions}.f32")),
            Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"{Tag}query_{Queries}x{dimensions}.f32")),
            Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"{Tag}gt_{Queries}x{K}.i32")),
        ];
        Save(paths[0], vectors);
        Save(paths[1], queries);
        Save(paths[2], truth);
        log($"bench hot-path: wrote {string.Join(", ", paths)}");
        return paths;
    }

    private static void Normalise(float[] vectors, int dimensions)
    {
        for (var offset = 0; offset < vectors.Length; offset += dimensions)
        {
            var row = vectors.AsSpan(offset, dimensions);
            var norm = TensorPrimitives.Norm(row);
            if (norm > 0)
            {
                TensorPrimitives.Divide(row, norm, row);
            }
        }
    }

    private static void Save<T>(string path, T[] values)
        where T : unmanaged =>
        AtomicFile.Write(path, temporary =>
        {
            using var file = File.Create(temporary);
            file.Write(MemoryMarshal.AsBytes(values.AsSpan()));
        });
}
