using static TorchSharp.torch;

namespace Funnel.Torch.Tests;

public sealed class ManagedDropoutTests
{
    [Theory]
    [InlineData(0.1)]
    [InlineData(0.2)]
    [InlineData(0.5)]
    public void It_drops_the_given_share_and_keeps_the_mean(double probability)
    {
        var mask = new float[200_001];

        ManagedDropout.Fill(mask, seed: 7, probability);

        var dropped = mask.Count(m => m == 0) / (double)mask.Length;
        // Binomial standard deviation at 200k draws is ≤ 0.0012: five of them.
        Assert.InRange(dropped, probability - 0.006, probability + 0.006);
        Assert.All(mask, m => Assert.True(m == 0 || Math.Abs(m - (1 / (1 - probability))) < 1e-6, $"mask value {m}"));
        Assert.InRange(mask.Average(m => (double)m), 0.985, 1.015);
    }

    [Fact]
    public void A_seed_gives_one_mask_and_the_vector_path_draws_what_the_scalar_one_does()
    {
        var first = new float[1_001];
        var again = new float[1_001];
        var other = new float[1_001];
        var scalarOnly = new float[7];

        ManagedDropout.Fill(first, seed: 11, 0.3);
        ManagedDropout.Fill(again, seed: 11, 0.3);
        ManagedDropout.Fill(other, seed: 12, 0.3);
        ManagedDropout.Fill(scalarOnly, seed: 11, 0.3);

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        Assert.Equal(scalarOnly, first[..7]);
        // Neighbouring elements come from different halves of a hash: not copies of each other.
        Assert.True(Enumerable.Range(0, 500).Count(i => first[2 * i] != first[(2 * i) + 1]) > 100);
    }

    [Fact]
    public void Training_masks_follow_torchs_seed_and_pass_gradients_through_the_mask_evaluation_is_the_identity()
    {
        TorchRuntime.Initialize();
        using var scope = NewDisposeScope();
        using var dropout = new ManagedDropout(0.25);
        var input = ones(64, 50, requires_grad: true);

        manual_seed(3);
        var output = dropout.forward(input);
        manual_seed(3);
        var repeated = dropout.forward(input);
        output.sum().backward();

        Assert.True(output.allclose(repeated, rtol: 0, atol: 0));
        Assert.True(input.grad!.allclose(output.detach(), rtol: 0, atol: 0), "the gradient of a mask times x is the mask");
        Assert.InRange(output.eq(0).sum().item<long>(), 500, 1_100);
        dropout.eval();
        Assert.True(dropout.forward(input).allclose(input, rtol: 0, atol: 0));
    }
}
