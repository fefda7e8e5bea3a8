using Funnel.Candidates.Softmax;

namespace Funnel.Candidates.Tests.Softmax;

public sealed class NegativeSamplerTests
{
    [Fact]
    public void Log_uniform_probabilities_sum_to_one_and_match_draws()
    {
        var sampler = new LogUniformSampler(1_001);
        var draws = new long[200_000];

        sampler.Sample(new Random(3), draws);

        Assert.Equal(1.0, Enumerable.Range(1, 1_000).Sum(r => sampler.Probability(r)), 9);
        // P(1) = ln 2 / ln 1001 ≈ 0.1003; P(10) = ln 1.1 / ln 1001 ≈ 0.0138.
        Assert.Equal(Math.Log(2) / Math.Log(1001), draws.Count(d => d == 1) / 200_000.0, 2);
        Assert.Equal(Math.Log(1.1) / Math.Log(1001), draws.Count(d => d == 10) / 200_000.0, 2);
        Assert.All(draws, d => Assert.InRange(d, 1, 1_000));
        Assert.Equal(0.0, sampler.Probability(0));
    }

    [Fact]
    public void Unigram_to_the_three_quarters_flattens_the_head_and_skips_unseen_rows()
    {
        // Counts 16 and 1 (and an unseen row): weights 16^0.75 = 8 and 1.
        var sampler = new UnigramSampler([0, 16, 0, 1], power: 0.75);
        var draws = new long[90_000];

        sampler.Sample(new Random(5), draws);

        Assert.Equal(8.0 / 9, sampler.Probability(1), 9);
        Assert.Equal(0.0, sampler.Probability(2));
        Assert.Equal(8.0 / 9, draws.Count(d => d == 1) / 90_000.0, 2);
        Assert.DoesNotContain(2L, draws);
        Assert.DoesNotContain(0L, draws);
    }
}
