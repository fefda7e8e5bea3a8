using System.Globalization;
using Funnel.Benchmarks.Retrieval;
using Funnel.Candidates.Inference;
using Funnel.Retrieval;
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

    /// <summary>The peer's fixed query count.</summary>
    private const int Queries = RetrievalBenchmarkOptions.Queries;

    /// <summary>Writes base, query and truth files into <paramref name="folder"/>; returns their paths.</summary>
    public static IReadOnlyList<string> Write(ServingModel model, string folder, Action<string> log)
    {
        var network = model.Candidates.Network;
        var dimensions = network.Options.EmbeddingDimension;
        var (vectors, _) = CandidateIndex.IndexedVectors(network);
        var random = new Random(3);
        var queries = new float[Queries * dimensions];
        for (var q = 0; q < Queries; q++)
        {
            var watched = RecommendationHotPath.UserWatches(model, random).Select(e => e.VideoId).ToList();
            model.Candidates.UserVectors([new UserHistory(watched, [])]).CopyTo(queries.AsSpan(q * dimensions, dimensions));
        }
        if (model.Index.Metric == IndexMetric.Cosine)
        {
            foreach (var rows in new[] { vectors, queries })
            {
                for (var offset = 0; offset < rows.Length; offset += dimensions)
                {
                    UnitVectors.Normalise(rows.AsSpan(offset, dimensions));
                }
            }
        }
        log(string.Create(CultureInfo.InvariantCulture, $"bench hot-path: exact top {RetrievalBenchmarkOptions.K} of {Queries:N0} users' vectors among {vectors.Length / dimensions:N0} for the peer files"));
        var paths = PeerFileSet.Write(folder, Tag, vectors, queries, dimensions);
        log($"bench hot-path: wrote {string.Join(", ", paths)}");
        return paths;
    }
}
