using Funnel.Torch;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Funnel.Candidates.Optimizers;

/// <summary>
/// Adagrad with one accumulator per row (the mean squared gradient of the row), as large
/// recommender systems train embedding tables: a quarter of Adam's memory and only touched rows move.
/// </summary>
public sealed class RowwiseSparseAdagrad : SparseRowOptimizer
{
    private readonly Tensor accumulator;
    private readonly double epsilon;

    /// <summary>Creates the optimiser with a zero accumulator per row.</summary>
    public RowwiseSparseAdagrad(Parameter table, double learningRate = 0.05, double epsilon = 1e-10)
        : base(table, learningRate)
    {
        this.epsilon = epsilon;
        accumulator = zeros(table.shape[0], dtype: table.dtype);
    }

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, Tensor> State => new Dictionary<string, Tensor> { ["accumulator"] = accumulator };

    /// <inheritdoc />
    protected override void Update(Tensor rows, Tensor gradient)
    {
        using var epsilonScalar = epsilon.ToScalar();
        using var step = (-LearningRate).ToScalar();
        var sums = accumulator.index_select(0, rows).add(gradient.pow(RootedScalars.Two).mean([1]), RootedScalars.One);
        accumulator.index_copy_(0, rows, sums);
        Table.index_add_(0, rows, gradient / sums.sqrt().add(epsilonScalar, RootedScalars.One).unsqueeze(1), alpha: step);
    }
}
