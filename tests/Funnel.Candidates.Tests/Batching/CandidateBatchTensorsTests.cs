using Funnel.Candidates.Batching;
using Funnel.Data.Examples;
using TorchSharp;
using static TorchSharp.torch;

namespace Funnel.Candidates.Tests.Batching;

public sealed class CandidateBatchTensorsTests
{
    [Fact]
    public void Mean_bags_average_in_vocabulary_rows_and_an_empty_bag_is_zero()
    {
        // Example 0's bag is rows [1, 2]; example 1's bag is empty (its history was all out of vocabulary).
        var batch = new CandidateBatch(2);
        SetBags(batch, [1, 2], [0, 2]);
        using var scope = NewDisposeScope();
        using var tensors = CandidateBatchTensors.From(batch);
        var bag = nn.EmbeddingBag(3, 2, mode: EmbeddingBagMode.Mean);
        bag.weight!.requires_grad = false;
        bag.weight.copy_(tensor(new float[] { 0, 0, 2, 4, 6, 8 }, [3, 2]));

        var means = bag.forward(tensors.WatchRows, tensors.WatchOffsets, null);

        // Rows 1 and 2 are (2, 4) and (6, 8): their mean is (4, 6).
        Assert.Equal(new float[] { 4, 6, 0, 0 }, means.data<float>().ToArray());
    }

    [Fact]
    public void Tensors_are_copies_so_the_batch_can_be_refilled()
    {
        var batch = new CandidateBatch(2);
        SetBags(batch, [5, 6, 7], [0, 1]);
        using var tensors = CandidateBatchTensors.From(batch);

        batch.WatchRows[0] = 99;


        Assert.Equal(new long[] { 5, 6, 7 }, tensors.WatchRows.data<long>().ToArray());
        Assert.Equal(new long[] { 2, 6 }, tensors.Dense.shape);
    }

    [Fact]
    public void Disposing_releases_every_tensor()
    {
        var batch = new CandidateBatch(2);
        SetBags(batch, [1], [0, 1]);
        using var scope = NewDisposeScope();
        var before = scope.DisposablesCount;

        CandidateBatchTensors.From(batch).Dispose();

        Assert.Equal(before, scope.DisposablesCount);
    }

    private static void SetBags(CandidateBatch batch, long[] rows, long[] offsets)
    {
        batch.Count = offsets.Length;
        rows.CopyTo(batch.ReserveWatchRows(rows.Length), 0);
        batch.WatchRowCount = rows.Length;
        offsets.CopyTo(batch.WatchOffsets, 0);
    }
}
