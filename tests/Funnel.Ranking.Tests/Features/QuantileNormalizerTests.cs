using Funnel.Ranking.Features;

namespace Funnel.Ranking.Tests.Features;

public sealed class QuantileNormalizerTests
{
    [Fact]
    public void Uniform_training_values_map_linearly_onto_zero_to_one()
    {
        // 0, 1, …, 1000 with 100 quantiles: boundaries 0, 10, …, 1000, so x ↦ x / 1000.
        var normalizer = QuantileNormalizer.Fit("age", [.. Enumerable.Range(0, 1001).Select(i => (double)i)], quantiles: 100);

        Assert.Equal(0f, normalizer.Normalize(0));
        Assert.Equal(0.25f, normalizer.Normalize(250), 6);
        Assert.Equal(0.505f, normalizer.Normalize(505), 6);
    }

    [Fact]
    public void Output_is_monotone_and_in_zero_to_one_even_for_unseen_extremes()
    {
        var random = new Random(7);
        var training = Enumerable.Range(0, 5000).Select(_ => Math.Exp(3 * random.NextDouble())).ToArray();
        var normalizer = QuantileNormalizer.Fit("seconds since last watch", training, quantiles: 50);
        var probes = Enumerable.Range(0, 2000).Select(_ => (random.NextDouble() * 30) - 5).Append(-1e12).Append(1e12).Append(double.MaxValue).Order().ToArray();

        var mapped = probes.Select(normalizer.Normalize).ToArray();

        Assert.All(mapped, x => Assert.InRange(x, 0f, MathF.BitDecrement(1f)));
        Assert.All(mapped.Zip(mapped.Skip(1)), pair => Assert.True(pair.First <= pair.Second, $"{pair.First} > {pair.Second}"));
        Assert.Equal(0f, normalizer.Normalize(-1e12));
        Assert.True(normalizer.Normalize(1e12) < 1f);
    }

    [Fact]
    public void A_value_shared_by_many_training_examples_maps_to_the_middle_of_its_run()
    {
        // 60% zeros (a count most impressions have), then 1..400: zero sits at about 0.3, not 0.6.
        var training = Enumerable.Repeat(0.0, 600).Concat(Enumerable.Range(1, 400).Select(i => (double)i)).ToArray();
        var normalizer = QuantileNormalizer.Fit("previous impressions", training, quantiles: 100);

        // Boundaries 0–59 are zero (boundary 60 already interpolates towards 1): the run's middle is 29.5 / 100.
        Assert.Equal(0.295f, normalizer.Normalize(0), 6);
        Assert.True(normalizer.Normalize(1) > 0.6f);
    }

    [Fact]
    public void The_network_gets_the_value_its_square_and_its_root()
    {
        var normalizer = QuantileNormalizer.Fit("x", [0, 100], quantiles: 1);

        var (value, square, root) = normalizer.Features(25);

        Assert.Equal(0.25f, value, 6);
        Assert.Equal(0.0625f, square, 6);
        Assert.Equal(0.5f, root, 6);
    }

    [Fact]
    public void Saved_boundaries_give_the_same_mapping()
    {
        var fitted = QuantileNormalizer.Fit("x", [3, 1, 4, 1, 5, 9, 2, 6], quantiles: 4);
        var loaded = new QuantileNormalizer("x", [.. fitted.Boundaries]);

        Assert.All(new[] { -1.0, 1, 2.5, 4, 8, 20 }, x => Assert.Equal(fitted.Normalize(x), loaded.Normalize(x)));
    }

    [Fact]
    public void Bad_values_and_boundaries_are_refused_with_the_feature_named()
    {
        Assert.Contains("'video age'", Assert.Throws<ArgumentException>(() => QuantileNormalizer.Fit("video age", [1, double.NaN])).Message, StringComparison.Ordinal);
        Assert.Contains("no training values", Assert.Throws<ArgumentException>(() => QuantileNormalizer.Fit("video age", [])).Message, StringComparison.Ordinal);
        Assert.Contains("falls below", Assert.Throws<ArgumentException>(() => new QuantileNormalizer("video age", [2, 1])).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => QuantileNormalizer.Fit("video age", [1, 2]).Normalize(double.NaN));
    }
}
