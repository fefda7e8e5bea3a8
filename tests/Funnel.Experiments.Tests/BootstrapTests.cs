using Funnel.Experiments.Statistics;

namespace Funnel.Experiments.Tests;

public class BootstrapTests
{
    private static double[] NormalSample(Random random, int count, double mean, double sd) =>
        [.. Enumerable.Range(0, count).Select(_ => mean + (sd * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble())))];

    [Fact]
    public void The_interval_of_a_normal_mean_matches_the_textbook_one()
    {
        var values = NormalSample(new Random(1), 400, 10, 2);
        var interval = Bootstrap.Estimate(values.Length, Bootstrap.Mean(values), seed: 2, resamples: 2_000);
        var mean = values.Average();
        var sd = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1));
        var halfWidth = 1.96 * sd / Math.Sqrt(values.Length);
        Assert.Equal(mean, interval.Estimate, 10);
        Assert.InRange(interval.Low, mean - (halfWidth * 1.15), mean - (halfWidth * 0.85));
        Assert.InRange(interval.High, mean + (halfWidth * 0.85), mean + (halfWidth * 1.15));
    }

    [Fact]
    public void Ninety_five_percent_intervals_cover_the_true_mean_about_95_times_in_100()
    {
        var random = new Random(3);
        var covered = 0;
        const int Experiments = 300;
        for (var e = 0; e < Experiments; e++)
        {
            var values = NormalSample(random, 80, 0, 1);
            var interval = Bootstrap.Estimate(values.Length, Bootstrap.Mean(values), seed: e, resamples: 400);
            if (interval.Low <= 0 && interval.High >= 0)
            {
                covered++;
            }
        }
        // The percentile bootstrap undercovers slightly at n = 80; 300 runs: σ ≈ 1.3 points.
        Assert.InRange(covered / (double)Experiments, 0.89, 0.99);
    }

    [Fact]
    public void A_ratio_of_sums_gets_the_binomial_interval_of_a_rate()
    {
        // 1,000 users with 10 impressions each, clicks ~ Binomial(10, 0.3).
        var random = new Random(4);
        var clicks = Enumerable.Range(0, 1_000).Select(_ => (double)Enumerable.Range(0, 10).Count(_ => random.NextDouble() < 0.3)).ToArray();
        var impressions = Enumerable.Repeat(10.0, 1_000).ToArray();
        var interval = Bootstrap.Estimate(clicks.Length, Bootstrap.Ratio(clicks, impressions), seed: 5, resamples: 2_000);
        var rate = clicks.Sum() / 10_000;
        var halfWidth = 1.96 * Math.Sqrt(rate * (1 - rate) / 10_000);
        Assert.Equal(rate, interval.Estimate, 10);
        Assert.InRange(interval.High - interval.Low, 2 * halfWidth * 0.85, 2 * halfWidth * 1.15);
    }

    [Fact]
    public void A_difference_is_called_when_real_and_not_when_absent()
    {
        var random = new Random(6);
        var control = NormalSample(random, 300, 5, 1);
        var same = NormalSample(random, 300, 5, 1);
        var shifted = NormalSample(random, 300, 5.5, 1);
        var none = Bootstrap.Difference(control.Length, Bootstrap.Mean(control), same.Length, Bootstrap.Mean(same), seed: 7);
        var real = Bootstrap.Difference(control.Length, Bootstrap.Mean(control), shifted.Length, Bootstrap.Mean(shifted), seed: 8);
        Assert.False(none.ExcludesZero);
        Assert.True(real.ExcludesZero);
        Assert.True(real.Low > 0);
        // Two means of 300 with σ = 1: the difference's half-width is 1.96·√(2/300) ≈ 0.16.
        Assert.InRange(real.High - real.Low, 0.32 * 0.85, 0.32 * 1.15);
        Assert.Equal(shifted.Average() - control.Average(), real.Estimate, 10);
    }

    [Fact]
    public void A_set_size_interval_is_bias_corrected_around_its_estimate()
    {
        // Each unit shows 5 of 1,000 items: a redraw repeats units, so its union is smaller.
        var random = new Random(9);
        var shown = Enumerable.Range(0, 200).Select(_ => Enumerable.Range(0, 5).Select(_ => random.Next(1_000)).ToArray()).ToArray();
        double Coverage(int[] sample) => sample.Distinct().SelectMany(i => shown[i]).Distinct().Count() / 1_000.0;
        var raw = Bootstrap.Estimate(shown.Length, Coverage, seed: 10, resamples: 300);
        var corrected = Bootstrap.Estimate(shown.Length, Coverage, seed: 10, resamples: 300, correctBias: true);
        Assert.True(raw.High < raw.Estimate, "uncorrected replicates all fall below the observed union");
        Assert.InRange(corrected.Estimate, corrected.Low, corrected.High);
        Assert.Equal(raw.High - raw.Low, corrected.High - corrected.Low, 10);
    }

    [Fact]
    public void The_same_seed_gives_the_same_interval()
    {
        var values = NormalSample(new Random(11), 50, 0, 1);
        Assert.Equal(Bootstrap.Estimate(50, Bootstrap.Mean(values), seed: 12), Bootstrap.Estimate(50, Bootstrap.Mean(values), seed: 12));
    }
}
