using Funnel.Candidates.Optimizers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Funnel.Candidates.Tests.Optimizers;

public sealed class EmbeddingLookupTapeTests
{
    // Bags with a row read twice in one bag, rows shared between bags, and an empty bag (offsets 5, 5).
    private static readonly long[] BagIds = [1, 4, 4, 2, 7, 3, 1, 6];
    private static readonly long[] BagStarts = [0, 3, 5, 5];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Mean_bag_steps_from_the_tape_equal_steps_from_autograds_sparse_gradient(bool lazyAdam)
    {
        manual_seed(11);
        using var autograd = nn.EmbeddingBag(8, 5, mode: EmbeddingBagMode.Mean, sparse: true);
        using var taped = nn.EmbeddingBag(8, 5, mode: EmbeddingBagMode.Mean, sparse: true);
        using (no_grad())
        {
            taped.weight!.copy_(autograd.weight!);
        }
        var expected = Optimizer(autograd.weight!, lazyAdam);
        var actual = Optimizer(taped.weight!, lazyAdam);
        using var tape = new EmbeddingLookupTape();
        var ids = tensor(BagIds);
        var offsets = tensor(BagStarts);

        for (var step = 0; step < 3; step++)
        {
            using var scope = NewDisposeScope();
            var target = randn(4, 5);
            (autograd.forward(ids, offsets, null) - target).pow(2).sum().backward();
            expected.Step();
            (tape.MeanBags(taped, ids, offsets) - target).pow(2).sum().backward();
            actual.Step(tape);
            tape.Clear();
        }

        Assert.True(taped.weight!.allclose(autograd.weight!, rtol: 1e-5, atol: 1e-6));
        foreach (var (name, state) in expected.State)
        {
            Assert.True(actual.State[name].allclose(state, rtol: 1e-5, atol: 1e-6), name);
        }
        Assert.Null(taped.weight!.grad);
    }

    [Fact]
    public void Row_reads_sum_duplicates_and_leave_the_padding_row_alone()
    {
        manual_seed(12);
        using var autograd = nn.Embedding(6, 4, padding_idx: 0, sparse: true);
        using var taped = nn.Embedding(6, 4, padding_idx: 0, sparse: true);
        using (no_grad())
        {
            taped.weight!.copy_(autograd.weight!);
        }
        var expected = new RowwiseSparseAdagrad(autograd.weight!, learningRate: 0.5);
        var actual = new RowwiseSparseAdagrad(taped.weight!, learningRate: 0.5);
        using var before = taped.weight!.detach().clone();
        using var tape = new EmbeddingLookupTape();
        // A [2, 3] read, as the attention encoder reads a batch of sequences left-padded with row 0.
        var rows = tensor(new long[] { 0, 3, 5, 3, 3, 2 }).reshape(2, 3);
        using var target = randn(2, 3, 4);

        (autograd.forward(rows) * target).sum().backward();
        expected.Step();
        (tape.Rows(taped, rows, paddingRow: 0) * target).sum().backward();
        actual.Step(tape);
        tape.Clear();

        Assert.True(taped.weight!.allclose(autograd.weight!, rtol: 1e-5, atol: 1e-6));
        // Rows 0 (padding), 1 and 4 (not read) stay; rows 2, 3 and 5 move.
        var moved = Enumerable.Range(0, 6).Select(r => !taped.weight![r].allclose(before[r], rtol: 0, atol: 0)).ToArray();
        Assert.Equal([false, false, true, true, false, true], moved);
        Assert.Equal(0f, actual.State["accumulator"][0].item<float>());
    }

    [Fact]
    public void A_step_without_reads_of_the_table_changes_nothing()
    {
        using var read = nn.Embedding(4, 2, sparse: true);
        using var other = nn.Embedding(4, 2, sparse: true);
        using var before = other.weight!.detach().clone();
        var optimizer = new RowwiseSparseAdagrad(other.weight!);
        using var tape = new EmbeddingLookupTape();

        tape.Rows(read, tensor(new long[] { 1, 2 })).sum().backward();
        optimizer.Step(tape);
        tape.Clear();

        Assert.True(other.weight!.allclose(before, rtol: 0, atol: 0));
        Assert.Equal(0f, optimizer.State["accumulator"].sum().item<float>());
    }

    [Fact]
    public void Clearing_the_tape_releases_every_read()
    {
        using var bags = nn.EmbeddingBag(100, 8, mode: EmbeddingBagMode.Mean, sparse: true);
        var optimizer = new LazyAdam(bags.weight!, learningRate: 0.01);
        using var tape = new EmbeddingLookupTape();
        var random = new Random(1);
        long Live() => DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        void Steps(int count)
        {
            for (var step = 0; step < count; step++)
            {
                using var scope = NewDisposeScope();
                var ids = tensor(Enumerable.Range(0, 40).Select(_ => (long)random.Next(100)).ToArray());
                var offsets = tensor(new long[] { 0, 10, 20, 30 });
                tape.MeanBags(bags, ids, offsets).pow(2).sum().backward();
                optimizer.Step(tape);
                tape.Clear();
            }
        }

        Steps(5);
        var afterWarmUp = Live();
        Steps(100);

        Assert.Equal(afterWarmUp, Live());
    }

    private static SparseRowOptimizer Optimizer(Parameter table, bool lazyAdam) =>
        lazyAdam ? new LazyAdam(table, learningRate: 0.1) : new RowwiseSparseAdagrad(table, learningRate: 0.1);
}
