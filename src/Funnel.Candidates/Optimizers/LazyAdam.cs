using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using Funnel.Torch;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Funnel.Candidates.Optimizers;

/// <summary>
/// Adam that updates a row's moments only when the row has a gradient (TensorFlow's LazyAdam,
/// PyTorch's SparseAdam): identical to Adam for rows touched every step, and cheap for the rest.
/// Bias correction uses the global step.
/// </summary>
public sealed class LazyAdam : SparseRowOptimizer
{
    private readonly Tensor firstMoment;
    private readonly Tensor secondMoment;
    private readonly double beta1;
    private readonly double beta2;
    private readonly double epsilon;
    private long step;
    private TensorRows first;
    private TensorRows second;
    private float stepSize;
    private float inverseCorrection2;

    /// <summary>Creates the optimiser with zero moments.</summary>
    public LazyAdam(Parameter table, double learningRate = 0.001, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8)
        : base(table, learningRate)
    {
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        firstMoment = zeros_like(table);
        secondMoment = zeros_like(table);
    }

    /// <summary>Steps taken (for bias correction and checkpoints).</summary>
    public long Steps
    {
        get => step;
        set => step = value;
    }

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, Tensor> State => new Dictionary<string, Tensor> { ["first_moment"] = firstMoment, ["second_moment"] = secondMoment };

    /// <inheritdoc />
    protected override void BeginStep()
    {
        step++;
        first = new TensorRows(firstMoment);
        second = new TensorRows(secondMoment);
        // PyTorch's form: lr / (1 - β1^t) · m / (√v / √(1 - β2^t) + ε).
        stepSize = (float)(-LearningRate / (1 - Math.Pow(beta1, step)));
        inverseCorrection2 = (float)(1 / Math.Sqrt(1 - Math.Pow(beta2, step)));
    }

    /// <inheritdoc />
    protected override void UpdateRow(long row, Span<float> weights, Span<float> gradient)
    {
        var m = first[row];
        var v = second[row];
        TensorPrimitives.Multiply(m, (float)beta1, m);
        TensorPrimitives.MultiplyAdd(gradient, (float)(1 - beta1), m, m);
        TensorPrimitives.Multiply(v, (float)beta2, v);
        TensorPrimitives.Multiply(gradient, gradient, gradient);
        TensorPrimitives.MultiplyAdd(gradient, (float)(1 - beta2), v, v);
        // The gradient's buffer is free now: it holds the denominator, then the step.
        TensorPrimitives.Sqrt(v, gradient);
        TensorPrimitives.Multiply(gradient, inverseCorrection2, gradient);
        TensorPrimitives.Add(gradient, (float)epsilon, gradient);
        TensorPrimitives.Divide(m, gradient, gradient);
        TensorPrimitives.MultiplyAdd(gradient, stepSize, weights, weights);
    }
}
