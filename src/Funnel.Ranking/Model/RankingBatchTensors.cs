using System.Runtime.InteropServices;
using Funnel.Ranking.Features;
using Funnel.Torch;
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
        (Watched, WatchedBag) = DistinctBags(set, rows);
        Channel = Gather(set.Channel, rows, 1);
        UserLanguage = Gather(set.UserLanguage, rows, 1);
        VideoLanguage = Gather(set.VideoLanguage, rows, 1);
        Device = Gather(set.Device, rows, 1);
        Region = Gather(set.Region, rows, 1);
        // Written in place into the tensors' native memory: no managed copies to allocate per batch.
        Dense = torch.empty([count, set.DenseWidth], ScalarType.Float32);
        var dense = new TensorRows(Dense).Values;
        for (var i = 0; i < count; i++)
        {
            set.Dense.AsSpan(rows[i] * set.DenseWidth, set.DenseWidth).CopyTo(dense[(i * set.DenseWidth)..]);
        }
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

    /// <summary>
    /// The bags of <paramref name="rows"/>: a row reading the previous row's bag, or one equal to it
    /// (consecutive rows of one request), shares it.
    /// </summary>
    private static (Tensor Bags, Tensor? BagOfRow) DistinctBags(EncodedImpressions set, ReadOnlySpan<int> rows)
    {
        const int width = UserActivity.MaxRecent;
        var bags = new List<int>(1);
        var bagOfRow = new long[rows.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            var bag = set.BagOfRow[rows[i]];
            if (bags.Count == 0 || (bag != bags[^1] && !set.Watched.AsSpan(bag * width, width).SequenceEqual(set.Watched.AsSpan(bags[^1] * width, width))))
            {
                bags.Add(bag);
            }
            bagOfRow[i] = bags.Count - 1;
        }
        var distinct = Gather(set.Watched, CollectionsMarshal.AsSpan(bags), width).reshape(bags.Count, width);
        return (distinct, bags.Count == rows.Length ? null : torch.tensor(bagOfRow));
    }

    private static Tensor Gather(long[] source, ReadOnlySpan<int> rows, int width)
    {
        var gathered = TensorRows.NewInt64([rows.Length * width], out var values);
        for (var i = 0; i < rows.Length; i++)
        {
            source.AsSpan(rows[i] * width, width).CopyTo(values[(i * width)..]);
        }
        return gathered;
    }
}
