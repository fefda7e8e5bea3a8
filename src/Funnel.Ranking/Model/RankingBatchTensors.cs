using System.Runtime.InteropServices;
using Funnel.Ranking.Features;
using TorchSharp;
using static TorchSharp.torch;

namespace Funnel.Ranking.Model;

/// <summary>
/// Some rows of an <see cref="EncodedImpressions"/> set as tensors, with their labels and weights
/// when training. The data are copied.
/// </summary>
/// <remarks>Shapes: B = rows, R = <see cref="UserActivity.MaxRecent"/>, F = continuous features.</remarks>
public sealed class RankingBatchTensors : IDisposable
{
    private RankingBatchTensors(EncodedImpressions set, ReadOnlySpan<int> rows, float[]? labels, float[]? weights)
    {
        var count = rows.Length;
        Video = Gather(set.Video, rows, 1);
        (Watched, WatchedBag) = DistinctBags(set.Watched, rows);
        Channel = Gather(set.Channel, rows, 1);
        UserLanguage = Gather(set.UserLanguage, rows, 1);
        VideoLanguage = Gather(set.VideoLanguage, rows, 1);
        Device = Gather(set.Device, rows, 1);
        Region = Gather(set.Region, rows, 1);
        var dense = new float[count * set.DenseWidth];
        for (var i = 0; i < count; i++)
        {
            set.Dense.AsSpan(rows[i] * set.DenseWidth, set.DenseWidth).CopyTo(dense.AsSpan(i * set.DenseWidth));
        }
        Dense = torch.tensor(dense, [count, set.DenseWidth]);
        Labels = labels is null ? null : torch.tensor(labels);
        Weights = weights is null ? null : torch.tensor(weights);
    }

    /// <summary>Impression video rows, [B].</summary>
    public Tensor Video { get; }

    /// <summary>
    /// The distinct watch bags of the rows, in order of first appearance: video rows padded with 0,
    /// [U, R] with U ≤ B. One request's candidates share their user's bag, so the network embeds
    /// and averages it once instead of once per candidate.
    /// </summary>
    public Tensor Watched { get; }

    /// <summary>Which bag of <see cref="Watched"/> each row reads, [B]; null when every row has a bag of its own (U = B).</summary>
    public Tensor? WatchedBag { get; }

    /// <summary>Channel rows, [B].</summary>
    public Tensor Channel { get; }

    /// <summary>User language rows, [B].</summary>
    public Tensor UserLanguage { get; }

    /// <summary>Video language rows, [B].</summary>
    public Tensor VideoLanguage { get; }

    /// <summary>Device rows, [B].</summary>
    public Tensor Device { get; }

    /// <summary>Region rows, [B].</summary>
    public Tensor Region { get; }

    /// <summary>Normalised continuous features with powers, [B, 3F].</summary>
    public Tensor Dense { get; }

    /// <summary>1 for clicked, 0 otherwise, [B] (training only).</summary>
    public Tensor? Labels { get; }

    /// <summary>Per-impression loss weights, [B] (training only).</summary>
    public Tensor? Weights { get; }

    /// <summary>The rows as tensors for scoring.</summary>
    public static RankingBatchTensors ForScoring(EncodedImpressions set, ReadOnlySpan<int> rows) => new(set, rows, null, null);

    /// <summary>The rows as tensors with labels and weights for a training step.</summary>
    public static RankingBatchTensors ForTraining(EncodedImpressions set, ReadOnlySpan<int> rows, float[] labels, float[] weights) => new(set, rows, labels, weights);

    /// <inheritdoc />
    public void Dispose()
    {
        Video.Dispose();
        Watched.Dispose();
        WatchedBag?.Dispose();
        Channel.Dispose();
        UserLanguage.Dispose();
        VideoLanguage.Dispose();
        Device.Dispose();
        Region.Dispose();
        Dense.Dispose();
        Labels?.Dispose();
        Weights?.Dispose();
    }

    /// <summary>The bags of <paramref name="rows"/>, a row equal to the previous row's bag sharing it (consecutive rows of one request).</summary>
    private static (Tensor Bags, Tensor? BagOfRow) DistinctBags(long[] watched, ReadOnlySpan<int> rows)
    {
        const int width = UserActivity.MaxRecent;
        var bags = new List<int>(1);
        var bagOfRow = new long[rows.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            var bag = watched.AsSpan(rows[i] * width, width);
            if (bags.Count == 0 || !bag.SequenceEqual(watched.AsSpan(bags[^1] * width, width)))
            {
                bags.Add(rows[i]);
            }
            bagOfRow[i] = bags.Count - 1;
        }
        var distinct = Gather(watched, CollectionsMarshal.AsSpan(bags), width).reshape(bags.Count, width);
        return (distinct, bags.Count == rows.Length ? null : torch.tensor(bagOfRow));
    }

    private static Tensor Gather(long[] source, ReadOnlySpan<int> rows, int width)
    {
        var values = new long[rows.Length * width];
        for (var i = 0; i < rows.Length; i++)
        {
            source.AsSpan(rows[i] * width, width).CopyTo(values.AsSpan(i * width));
        }
        return torch.tensor(values);
    }
}
