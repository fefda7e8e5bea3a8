using Funnel.Candidates.Optimizers;
using TorchSharp;
using static TorchSharp.torch;

namespace Funnel.Candidates.Tests.Optimizers;

public sealed class SparseRowOptimizerTests
{
    [Fact]
    public void Rowwise_adagrad_matches_a_hand_worked_step_and_sums_duplicate_lookups()
    {
        using var table = nn.Embedding(3, 2, sparse: true);
        using (no_grad())
        {
            table.weight!.zero_();
        }
        var optimizer = new RowwiseSparseAdagrad(table.weight!, learningRate: 1.0);

        // Loss = sum of looked-up entries: row 1 looked up twice → gradient (2, 2); row 2 once → (1, 1).
        table.forward(tensor(new long[] { 1, 1, 2 })).sum().backward();
        optimizer.Step();

        // Row 1: accumulator = mean(2², 2²) = 4, step = 2 / √4 = 1. Row 2: accumulator 1, step 1. Row 0 untouched.
        Assert.Equal(new float[] { 0, 0, -1, -1, -1, -1 }, table.weight!.data<float>().ToArray());
        Assert.Equal(new float[] { 0, 4, 1 }, optimizer.State["accumulator"].data<float>().ToArray());
        Assert.Null(table.weight!.grad);
    }

    [Fact]
    public void Lazy_adam_equals_adam_when_every_row_is_touched()
    {
        manual_seed(3);
        using var sparse = nn.Embedding(4, 3, sparse: true);
        using var dense = nn.Embedding(4, 3);
        using (no_grad())
        {
            dense.weight!.copy_(sparse.weight!);
        }
        var lazy = new LazyAdam(sparse.weight!, learningRate: 0.1);
        using var adam = optim.Adam(dense.parameters(), lr: 0.1);
        var everyRow = tensor(new long[] { 0, 1, 2, 3, 2 });

        for (var step = 0; step < 5; step++)
        {
            using var scope = NewDisposeScope();
            var target = randn(5, 3);
            (sparse.forward(everyRow) - target).pow(2).sum().backward();
            lazy.Step();
            adam.zero_grad();
            (dense.forward(everyRow) - target).pow(2).sum().backward();
            adam.step();
        }

        Assert.True(sparse.weight!.allclose(dense.weight!, rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public void Lazy_adam_leaves_untouched_rows_and_their_moments_alone()
    {
        manual_seed(4);
        using var table = nn.Embedding(5, 2, sparse: true);
        using var before = table.weight!.detach().clone();
        var optimizer = new LazyAdam(table.weight!, learningRate: 0.1);

        table.forward(tensor(new long[] { 1, 3 })).sum().backward();
        optimizer.Step();

        var changed = (table.weight! - before).abs().sum(1).data<float>().ToArray();
        Assert.Equal([false, true, false, true, false], changed.Select(c => c > 0).ToArray());
        Assert.Equal(0f, optimizer.State["first_moment"][0].abs().sum().item<float>());
    }

    [Fact]
    public void Memory_stays_flat_over_many_steps()
    {
        using var table = nn.Embedding(1_000, 8, sparse: true);
        var optimizer = new RowwiseSparseAdagrad(table.weight!);
        var random = new Random(1);
        long Live() => DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        void Steps(int count)
        {
            for (var step = 0; step < count; step++)
            {
                using var scope = NewDisposeScope();
                var ids = tensor(Enumerable.Range(0, 64).Select(_ => (long)random.Next(1_000)).ToArray());
                table.forward(ids).pow(2).sum().backward();
                optimizer.Step();
            }
        }

        Steps(5);
        var afterWarmUp = Live();
        Steps(100);

        Assert.Equal(afterWarmUp, Live());
    }
}
