namespace Funnel.Retrieval.Ivf;

/// <summary>
/// How an inverted-file index partitions its vectors and how many partitions a query reads.
/// </summary>
/// <param name="Lists">Partitions (k-means centroids); 0 picks √N (1,000 at a million vectors).</param>
/// <param name="Probes">Lists searched per query, those whose centroids are nearest its direction: the recall/speed setting.</param>
/// <param name="Iterations">k-means iterations over the training sample.</param>
/// <param name="SamplePerList">Training vectors per list (the k-means sample is Lists × this, at most N).</param>
/// <param name="Seed">Seeds the sample and the initial centroids: the same seed builds the same lists.</param>
/// <param name="Rescore">Lists are scanned by 8-bit codes and the best Rescore × k scored again in f32; 0 scans the f32 vectors.</param>
public sealed record IvfOptions(int Lists = 0, int Probes = 16, int Iterations = 10, int SamplePerList = 64, int Seed = 1, int Rescore = 2)
{
    /// <summary>Lists for <paramref name="count"/> vectors: <see cref="Lists"/>, or √N, never more than N.</summary>
    public int ListsFor(long count) =>
        (int)Math.Clamp(Lists > 0 ? Lists : (long)Math.Round(Math.Sqrt(count)), 1, Math.Max(count, 1));

    /// <summary>Throws on a setting no index can use; returns this.</summary>
    public IvfOptions Validate()
    {
        if (Lists < 0 || Probes < 1 || Iterations < 0 || SamplePerList < 1 || Rescore < 0)
        {
            throw new ArgumentException($"invalid IVF options: lists {Lists} (≥ 0; 0 = √N), probes {Probes} (≥ 1), iterations {Iterations} (≥ 0), sample per list {SamplePerList} (≥ 1), rescore {Rescore} (≥ 0)");
        }
        return this;
    }
}
