using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Funnel.Torch.Tests;

public sealed class DenseAdamTests
{
    [Theory]
    [InlineData(0.0)]
    [InlineData(0.05)]
    public void Its_steps_are_torchs_adam_or_adamw(double weightDecay)
    {
        TorchRuntime.Initialize();
        using var scope = NewDisposeScope();
        using var ours = Problem(seed: 3);
        using var theirs = Problem(seed: 3);
        using var adam = new DenseAdam(ours.parameters(), learningRate: 0.01, weightDecay);
        using optim.Optimizer reference = weightDecay > 0
            ? optim.AdamW(theirs.parameters(), lr: 0.01, weight_decay: weightDecay)
            : optim.Adam(theirs.parameters(), lr: 0.01);

        for (var step = 0; step < 20; step++)
        {
            Train(ours, step, adam.Step, adam.ZeroGrad);
            Train(theirs, step, () => reference.step(), reference.zero_grad);
        }

        Assert.True(ours.weight.allclose(theirs.weight, rtol: 1e-5, atol: 1e-7), "weights differ from torch's optimiser");
        Assert.True(ours.bias!.allclose(theirs.bias!, rtol: 1e-5, atol: 1e-7), "biases differ from torch's optimiser");
        Assert.False(ours.weight.allclose(Problem(seed: 3).weight), "the optimiser did not move the weights");
    }

    [Fact]
    public void A_saved_state_resumes_as_if_uninterrupted()
    {
        TorchRuntime.Initialize();
        using var scope = NewDisposeScope();
        using var temp = new TempFolder();
        using var straight = Problem(seed: 4);
        using var resumed = Problem(seed: 4);
        using var straightAdam = new DenseAdam(straight.parameters(), learningRate: 0.01);
        using (var first = new DenseAdam(resumed.parameters(), learningRate: 0.01))
        {
            for (var step = 0; step < 5; step++)
            {
                Train(straight, step, straightAdam.Step, straightAdam.ZeroGrad);
                Train(resumed, step, first.Step, first.ZeroGrad);
            }
            first.Save(temp.Combine("adam.bin"));
        }
        using var second = new DenseAdam(resumed.parameters(), learningRate: 0.01);
        second.Load(temp.Combine("adam.bin"));

        for (var step = 5; step < 10; step++)
        {
            Train(straight, step, straightAdam.Step, straightAdam.ZeroGrad);
            Train(resumed, step, second.Step, second.ZeroGrad);
        }

        Assert.True(straight.weight.eq(resumed.weight).all().item<bool>(), "a resumed run diverged");
    }

    [Fact]
    public void State_for_other_parameters_is_refused_by_name()
    {
        TorchRuntime.Initialize();
        using var scope = NewDisposeScope();
        using var temp = new TempFolder();
        using var small = Problem(seed: 1);
        using (var adam = new DenseAdam(small.parameters(), learningRate: 0.01))
        {
            adam.Save(temp.Combine("adam.bin"));
        }
        using var other = new DenseAdam(small.parameters().Take(1), learningRate: 0.01);

        var error = Assert.Throws<InvalidDataException>(() => other.Load(temp.Combine("adam.bin")));

        Assert.Contains("adam.bin", error.Message, StringComparison.Ordinal);
    }

    private static Linear Problem(int seed)
    {
        manual_seed(seed);
        return nn.Linear(4, 3);
    }

    private static void Train(Linear layer, int step, Action optimizerStep, Action zeroGrad)
    {
        using var scope = NewDisposeScope();
        manual_seed(100 + step);
        var input = randn(8, 4);
        var target = randn(8, 3);
        var loss = nn.functional.mse_loss(layer.forward(input), target);
        loss.backward();
        optimizerStep();
        zeroGrad();
    }
}
