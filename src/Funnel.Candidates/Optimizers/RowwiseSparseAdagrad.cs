using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using Funnel.Torch;
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
    private TensorRows sums;

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
    protected override void BeginStep() => sums = new TensorRows(accumulator);

    /// <inheritdoc />
    protected override void UpdateRow(long row, Span<float> weights, Span<float> gradient)
    {
        ref var sum = ref sums[0][checked((int)row)];
        sum += TensorPrimitives.SumOfSquares(gradient) / gradient.Length;
        TensorPrimitives.MultiplyAdd(gradient, (float)(-LearningRate / (MathF.Sqrt(sum) + epsilon)), weights, weights);
    }
}
