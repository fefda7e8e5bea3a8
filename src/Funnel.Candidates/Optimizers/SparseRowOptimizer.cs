using Funnel.Torch;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Funnel.Candidates.Optimizers;

/// <summary>
/// Updates only the rows of an embedding table that a step touched, from the table's sparse
/// gradient: a dense update of a million-row table per step would cost more than the network.
/// The gradient is released after each step, which keeps memory flat over long runs.
/// </summary>
public abstract class SparseRowOptimizer
{
    /// <summary>Optimises <paramref name="table"/> [V, D], whose gradient must be sparse.</summary>
    protected SparseRowOptimizer(Parameter table, double learningRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(learningRate);
        Table = table;
        LearningRate = learningRate;
    }

    /// <summary>The table being optimised.</summary>
    public Parameter Table { get; }

    /// <summary>Step size.</summary>
    public double LearningRate { get; set; }

    /// <summary>Applies and releases the table's gradient; does nothing when there is none.</summary>
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
        using (no_grad())
        {
            // Sparse gradients arrive uncoalesced (one entry per lookup): sum duplicates per row.
            var indices = gradient.SparseIndices[0];
            var values = gradient.SparseValues;
            var (rows, inverse, _) = unique(indices, sorted: true, return_inverse: true);
            var summed = zeros(rows.shape[0], values.shape[1], dtype: values.dtype).index_add_(0, inverse!, values, alpha: RootedScalars.One);
            Update(rows, summed);
        }
        Table.grad = null;
        gradient.Dispose();
    }

    /// <summary>The optimiser's state tensors by name, for checkpoints.</summary>
    public abstract IReadOnlyDictionary<string, Tensor> State { get; }

    /// <summary>Updates the given unique rows [U] with their summed gradient [U, D] (no autograd).</summary>
    protected abstract void Update(Tensor rows, Tensor gradient);
}
