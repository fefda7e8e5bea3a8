using Funnel.Candidates.Inference;
using Funnel.Data.Examples;
using Funnel.Runs.Candidates;

namespace Funnel.Benchmarks.Retrieval;

/// <summary>
/// A trained model's own retrieval problem, written in the raw layout of
/// ../shared/peers/gen_ann_data.py so Funnel and hnswlib search the very same vectors: the video
/// vectors as the index holds them (rows 1..V−1), the user vectors of the first test queries, and
/// their exact top-100 by inner product.
/// </summary>
public static class ModelVectorSet
{
    /// <summary>Writes {tag}base_{N}x{D}.f32, {tag}query_1000x{D}.f32 and {tag}gt_1000x100.i32; returns (N, D).</summary>
    public static async Task<(int Count, int Dimensions)> ExportAsync(string data, string model, string folder, string tag, CancellationToken cancellation = default)
    {
        var (manifest, _, split) = await ModelWithData.OpenAsync(data, model, cancellation).ConfigureAwait(false);
        using var network = CandidateModelFolder.LoadNetwork(model, manifest);
        // File row i is video row i + 1: the benchmark's keys are file rows, as the peer's are.
        var (vectors, _) = CandidateIndex.IndexedVectors(network);
        var dimensions = network.Options.EmbeddingDimension;
        var count = vectors.Length / dimensions;
        var queryCount = Math.Min(RetrievalBenchmarkOptions.Queries, split.Test.Count);
        if (queryCount < RetrievalBenchmarkOptions.Queries)
        {
            throw new ArgumentException($"{data} has {split.Test.Count} test queries; the benchmark layout needs {RetrievalBenchmarkOptions.Queries}");
        }
        var queries = UserVectors(network, split, queryCount);
        PeerFileSet.Write(folder, tag, vectors, queries, dimensions);
        return (count, dimensions);
    }

    private static float[] UserVectors(Candidates.Model.CandidateNetwork network, DataSplit split, int count)
    {
        var builder = new CandidateBatchBuilder(split);
        var batch = new CandidateBatch(count, split.Options.MaxWatchHistory);
        builder.FillQueries(split.Test, [.. Enumerable.Range(0, count)], batch);
        return network.UserVectors(batch);
    }
}
