using Funnel.Data.Examples;
using TorchSharp;
using static TorchSharp.torch;

namespace Funnel.Candidates.Batching;

/// <summary>
/// A <see cref="CandidateBatch"/> as tensors for EmbeddingBag and the dense tower input. The data
/// are copied, so the batch can be refilled while these tensors are in use.
/// </summary>
/// <remarks>Shapes: B = batch size; bags are 1-D rows with 1-D offsets [B].</remarks>
public sealed class CandidateBatchTensors : IDisposable
{
    private CandidateBatchTensors(CandidateBatch batch, Device device)
    {
        var count = batch.Count;
        WatchRows = Int64(batch.WatchRows, batch.WatchRowCount, device);
        WatchOffsets = Int64(batch.WatchOffsets, count, device);
        TokenRows = Int64(batch.TokenRows, batch.TokenRowCount, device);
        TokenOffsets = Int64(batch.TokenOffsets, count, device);
        Labels = Int64(batch.Labels, count, device);
        Regions = Int64(batch.Regions, count, device);
        Devices = Int64(batch.Devices, count, device);
        Languages = Int64(batch.Languages, count, device);
        Genders = Int64(batch.Genders, count, device);
        Dense = torch.tensor(batch.Dense.AsSpan(0, count * CandidateBatch.DenseWidth).ToArray(), [count, CandidateBatch.DenseWidth], device: device);
        if (batch.WindowCount > 0)
        {
            Windows = torch.tensor(batch.WindowRows.AsSpan(0, batch.WindowCount * batch.WindowLength).ToArray(), [batch.WindowCount, batch.WindowLength], device: device);
            HistoryPositions = Int64(batch.HistoryPositions, count, device);
        }
        watchSequence = new Lazy<Tensor>(() => Sequence(batch, device).DetachFromDisposeScope());
    }

    private readonly Lazy<Tensor> watchSequence;

    /// <summary>
    /// Each example's watch rows in time order, left-padded with row 0 to the batch's longest
    /// history, [B, L] (L ≥ 1); made on first use (the averaged bag never reads it), while the
    /// batch still holds these examples.
    /// </summary>
    public Tensor WatchSequence => watchSequence.Value;

    /// <summary>Sequence windows the examples' histories are positions of, [W, L]; null when each example has its own bag.</summary>
    public Tensor? Windows { get; }

    /// <summary>With <see cref="Windows"/>: each example's history position in the flattened windows [W·L], -1 for an empty history. [B]</summary>
    public Tensor? HistoryPositions { get; }

    /// <summary>Watched-video rows, [total watch rows].</summary>
    public Tensor WatchRows { get; }

    /// <summary>Start of each example's watch bag, [B].</summary>
    public Tensor WatchOffsets { get; }

    /// <summary>Search-token rows, [total token rows].</summary>
    public Tensor TokenRows { get; }

    /// <summary>Start of each example's token bag, [B].</summary>
    public Tensor TokenOffsets { get; }

    /// <summary>Label rows of the video vocabulary, [B].</summary>
    public Tensor Labels { get; }

    /// <summary>Region ids, [B].</summary>
    public Tensor Regions { get; }

    /// <summary>Device ids, [B].</summary>
    public Tensor Devices { get; }

    /// <summary>Language ids, [B].</summary>
    public Tensor Languages { get; }

    /// <summary>Gender ids, [B].</summary>
    public Tensor Genders { get; }

    /// <summary>Dense features, [B, CandidateBatch.DenseWidth].</summary>
    public Tensor Dense { get; }

    /// <summary>Copies the batch into new tensors on the device (CPU by default).</summary>
    public static CandidateBatchTensors From(CandidateBatch batch, Device? device = null) => new(batch, device ?? CPU);

    /// <inheritdoc />
    public void Dispose()
    {
        WatchRows.Dispose();
        WatchOffsets.Dispose();
        TokenRows.Dispose();
        TokenOffsets.Dispose();
        Labels.Dispose();
        Regions.Dispose();
        Devices.Dispose();
        Languages.Dispose();
        Genders.Dispose();
        Dense.Dispose();
        Windows?.Dispose();
        HistoryPositions?.Dispose();
        if (watchSequence.IsValueCreated)
        {
            watchSequence.Value.Dispose();
        }
    }

    /// <summary>The bags as left-padded rows: the newest watch in the last column.</summary>
    private static Tensor Sequence(CandidateBatch batch, Device device)
    {
        var count = batch.Count;
        var lengths = new int[count];
        for (var i = 0; i < count; i++)
        {
            var end = i + 1 < count ? batch.WatchOffsets[i + 1] : batch.WatchRowCount;
            lengths[i] = (int)(end - batch.WatchOffsets[i]);
        }
        var length = Math.Max(1, count == 0 ? 1 : lengths.Max());
        var rows = new long[count * length];
        for (var i = 0; i < count; i++)
        {
            batch.WatchRows.AsSpan((int)batch.WatchOffsets[i], lengths[i]).CopyTo(rows.AsSpan((i * length) + length - lengths[i], lengths[i]));
        }
        return torch.tensor(rows, [count, length], device: device);
    }

    // One array copy per tensor per batch (not per example): the batch's arrays are reused.
    private static Tensor Int64(long[] values, int count, Device device) =>
        torch.tensor(values.AsSpan(0, count).ToArray(), [count], device: device);
}
