using System.Buffers;
using Funnel.Torch;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Funnel.Candidates.Optimizers;

/// <summary>
/// Updates only the rows of an embedding table that a step touched, each once, from the step's
/// gradient summed per row (<see cref="RowGradientSums"/>): a dense update of a million-row table
/// per step would cost more than the network. The gradient comes from an
/// <see cref="EmbeddingLookupTape"/> (the candidate network's training step) or from autograd's
/// sparse gradient of the table, which is released after the step, so memory stays flat.
/// </summary>
public abstract class SparseRowOptimizer
{
    private readonly RowGradientSums sums;

    /// <summary>Optimises <paramref name="table"/> [V, D] (contiguous float32 on the CPU).</summary>
    protected SparseRowOptimizer(Parameter table, double learningRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(learningRate);
        if (table.dim() != 2)
        {
            throw new ArgumentException($"an embedding table has two dimensions, got [{string.Join(", ", table.shape)}]", nameof(table));
        }
        Table = table;
        LearningRate = learningRate;
        sums = new RowGradientSums(table.shape[0], checked((int)table.shape[1]));
    }

    /// <summary>The table being optimised.</summary>
    public Parameter Table { get; }

    /// <summary>Step size.</summary>
    public double LearningRate { get; set; }

    /// <summary>Applies and releases the table's sparse autograd gradient; does nothing when there is none.</summary>
    public void Step()
    {
        var gradient = Table.grad;
        if (gradient is null)
        {
            return;
        }
        if (!gradient.is_sparse)
        {
            throw new InvalidOperationException("the table's gradient is dense: build its embedding with sparse: true");
        }
        using (var scope = NewDisposeScope())
        {
            // Sparse gradients arrive uncoalesced, one entry per lookup: the sums add duplicates up.
            var indices = gradient.SparseIndices[0].contiguous();
            var values = gradient.SparseValues.contiguous();
            var count = checked((int)indices.numel());
            var rows = ArrayPool<long>.Shared.Rent(count);
            try
            {
                TensorRows.CopyInt64(indices, rows.AsSpan(0, count));
                Apply([new RowLookup(rows.AsMemory(0, count), null, new TensorRows(values), -1)]);
            }
            finally
            {
                ArrayPool<long>.Shared.Return(rows);
            }
        }
        Table.grad = null;
        gradient.Dispose();
    }

    /// <summary>Applies the gradients of this table's reads that <paramref name="tape"/> recorded; does nothing when there are none.</summary>
    public void Step(EmbeddingLookupTape tape)
    {
        var lookups = tape.LookupsOf(Table);
        if (lookups.Count > 0)
        {
            Apply(lookups);
        }
    }

    private void Apply(IReadOnlyList<RowLookup> lookups)
    {
        BeginStep();
        var table = new TensorRows(Table);
        sums.Apply(lookups, (row, gradient) => UpdateRow(row, table[row], gradient));
    }

    /// <summary>The optimiser's state tensors by name, for checkpoints.</summary>
    public abstract IReadOnlyDictionary<string, Tensor> State { get; }

    /// <summary>Called once per step before its rows are updated.</summary>
    protected virtual void BeginStep()
    {
    }

    /// <summary>
    /// Updates one touched row in place from its summed gradient, which the update may overwrite.
    /// Rows of one step are updated concurrently, each by one thread.
    /// </summary>
    protected abstract void UpdateRow(long row, Span<float> weights, Span<float> gradient);
}
