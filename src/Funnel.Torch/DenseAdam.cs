using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Funnel.Torch;

/// <summary>
/// Adam, or AdamW with decoupled weight decay, over dense parameters: PyTorch's update, operation
/// for operation. TorchSharp's own optimisers turn their constants into temporary Scalars on every
/// step, and the finaliser can free one while native code still reads it (two training runs in 25
/// died mid-epoch with "Unknown scalar type"); here every Scalar lives until its call returns.
/// </summary>
public sealed class DenseAdam : IDisposable
{
    private readonly Parameter[] parameters;
    private readonly Tensor[] firstMoments;
    private readonly Tensor[] secondMoments;
    private readonly long[] steps;
    private readonly double beta1;
    private readonly double beta2;
    private readonly Scalar decay1;
    private readonly Scalar keep1;
    private readonly Scalar decay2;
    private readonly Scalar keep2;
    private readonly Scalar epsilon;

    /// <summary>Creates the optimiser with zero moments.</summary>
    /// <param name="parameters">What it updates.</param>
    /// <param name="learningRate">Step size.</param>
    /// <param name="weightDecay">AdamW's decoupled decay per step (scaled by the step size); 0 is plain Adam.</param>
    /// <param name="beta1">Decay of the first moment.</param>
    /// <param name="beta2">Decay of the second moment.</param>
    /// <param name="epsilon">Added to the denominator.</param>
    public DenseAdam(IEnumerable<Parameter> parameters, double learningRate, double weightDecay = 0, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(learningRate);
        ArgumentOutOfRangeException.ThrowIfNegative(weightDecay);
        this.parameters = [.. parameters];
        LearningRate = learningRate;
        WeightDecay = weightDecay;
        this.beta1 = beta1;
        this.beta2 = beta2;
        decay1 = beta1.ToScalar();
        keep1 = (1 - beta1).ToScalar();
        decay2 = beta2.ToScalar();
        keep2 = (1 - beta2).ToScalar();
        this.epsilon = epsilon.ToScalar();
        firstMoments = [.. this.parameters.Select(p => zeros_like(p).DetachFromDisposeScope())];
        secondMoments = [.. this.parameters.Select(p => zeros_like(p).DetachFromDisposeScope())];
        steps = new long[this.parameters.Length];
    }

    /// <summary>Step size.</summary>
    public double LearningRate { get; }

    /// <summary>Decoupled weight decay (0: plain Adam).</summary>
    public double WeightDecay { get; }

    /// <summary>Updates every parameter that has a gradient.</summary>
    public void Step()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var shrink = (1 - LearningRate * WeightDecay).ToScalar();
        for (var i = 0; i < parameters.Length; i++)
        {
            var gradient = parameters[i].grad;
            if (gradient is null)
            {
                continue;
            }
            steps[i]++;
            if (WeightDecay > 0)
            {
                parameters[i].mul_(shrink);
            }
            using var root2 = Math.Sqrt(1 - Math.Pow(beta2, steps[i])).ToScalar();
            using var stepSize = (-LearningRate / (1 - Math.Pow(beta1, steps[i]))).ToScalar();
            firstMoments[i].mul_(decay1).add_(gradient, keep1);
            secondMoments[i].mul_(decay2).addcmul_(gradient, gradient, keep2);
            // PyTorch's form: lr / (1 − β1^t) · m / (√v / √(1 − β2^t) + ε).
            var denominator = secondMoments[i].sqrt().div_(root2).add_(epsilon, RootedScalars.One);
            parameters[i].addcdiv_(firstMoments[i], denominator, stepSize);
        }
    }

    /// <summary>Zeroes every gradient (kept allocated, as PyTorch's zero_grad(set_to_none=False)).</summary>
    public void ZeroGrad()
    {
        foreach (var parameter in parameters)
        {
            using var gradient = parameter.grad;
            gradient?.zero_();
        }
    }

    /// <summary>Writes the steps and moments to <paramref name="path"/> (a checkpoint's staging file).</summary>
    public void Save(string path)
    {
        using var writer = new BinaryWriter(File.Create(path));
        writer.Write(parameters.Length);
        for (var i = 0; i < parameters.Length; i++)
        {
            writer.Write(steps[i]);
            firstMoments[i].Save(writer);
            secondMoments[i].Save(writer);
        }
    }

    /// <summary>Restores what <see cref="Save"/> wrote, for the same parameters.</summary>
    public void Load(string path)
    {
        using var reader = new BinaryReader(File.OpenRead(path));
        var count = reader.ReadInt32();
        if (count != parameters.Length)
        {
            throw new InvalidDataException($"{path}: optimiser state for {count} parameters, the network has {parameters.Length}");
        }
        for (var i = 0; i < count; i++)
        {
            steps[i] = reader.ReadInt64();
            firstMoments[i].Load(reader);
            secondMoments[i].Load(reader);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var tensor in firstMoments.Concat(secondMoments))
        {
            tensor.Dispose();
        }
        foreach (var scalar in new[] { decay1, keep1, decay2, keep2, epsilon })
        {
            scalar.Dispose();
        }
    }
}
