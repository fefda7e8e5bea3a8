using Funnel.Torch;
using TorchSharp;
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
    protected override void Update(Tensor rows, Tensor gradient)
    {
        step++;
        using var decay1 = beta1.ToScalar();
        using var keep1 = (1 - beta1).ToScalar();
        using var decay2 = beta2.ToScalar();
        using var keep2 = (1 - beta2).ToScalar();
        using var correction2 = Math.Sqrt(1 - Math.Pow(beta2, step)).ToScalar();
        using var epsilonScalar = epsilon.ToScalar();
        using var stepSize = (-LearningRate / (1 - Math.Pow(beta1, step))).ToScalar();
        var first = firstMoment.index_select(0, rows).mul(decay1).add(gradient.mul(keep1), RootedScalars.One);
        var second = secondMoment.index_select(0, rows).mul(decay2).add(gradient.pow(RootedScalars.Two).mul(keep2), RootedScalars.One);
        firstMoment.index_copy_(0, rows, first);
        secondMoment.index_copy_(0, rows, second);
        // PyTorch's form: lr / (1 - β1^t) · m / (√v / √(1 - β2^t) + ε).
        var denominator = second.sqrt().div(correction2).add(epsilonScalar, RootedScalars.One);
        Table.index_add_(0, rows, first / denominator, alpha: stepSize);
    }
}
