namespace Funnel.Experiments.Statistics;

/// <summary>An estimate with its confidence interval.</summary>
/// <param name="Estimate">The statistic on the observed sample.</param>
/// <param name="Low">Lower bound.</param>
/// <param name="High">Upper bound.</param>
public readonly record struct Interval(double Estimate, double Low, double High)
{
    /// <summary>Whether the interval lies wholly above or below zero (for differences).</summary>
    public bool ExcludesZero => Low > 0 || High < 0;
}

/// <summary>
/// Percentile bootstrap over experimental units (users): the sample is redrawn with replacement
/// many times, the statistic recomputed on each redraw, and the interval read from the spread of
/// those replicates. A statistic sees the drawn units' indices, so ratios of sums (click-through
/// rate) and set sizes (coverage) bootstrap as well as means. Set sizes shrink in every redraw
/// (about a third of the units are drawn twice or more), so their replicates sit below the estimate
/// by a bias the bootstrap itself measures; <c>correctBias</c> shifts the interval back by it.
/// </summary>
public static class Bootstrap
{
    /// <summary>Default replicates: enough for stable 95% bounds at two decimals.</summary>
    public const int DefaultResamples = 1_000;

    /// <summary>The interval of a statistic of <paramref name="count"/> units.</summary>
    public static Interval Estimate(int count, Func<int[], double> statistic, int seed, int resamples = DefaultResamples, double level = 0.95, bool correctBias = false)
    {
        Check(count, resamples, level);
        var random = new Random(seed);
        var replicates = new double[resamples];
        var sample = new int[count];
        for (var r = 0; r < resamples; r++)
        {
            Draw(random, sample);
            replicates[r] = statistic(sample);
        }
        return Read(statistic(Identity(count)), replicates, level, correctBias);
    }

    /// <summary>The interval of statistic(B) − statistic(A) for two independent groups (treatment B against control A).</summary>
    public static Interval Difference(int countA, Func<int[], double> statisticA, int countB, Func<int[], double> statisticB, int seed, int resamples = DefaultResamples, double level = 0.95, bool correctBias = false)
    {
        Check(Math.Min(countA, countB), resamples, level);
        var random = new Random(seed);
        var replicates = new double[resamples];
        var sampleA = new int[countA];
        var sampleB = new int[countB];
        for (var r = 0; r < resamples; r++)
        {
            Draw(random, sampleA);
            Draw(random, sampleB);
            replicates[r] = statisticB(sampleB) - statisticA(sampleA);
        }
        return Read(statisticB(Identity(countB)) - statisticA(Identity(countA)), replicates, level, correctBias);
    }

    /// <summary>The mean of the drawn units' values.</summary>
    public static Func<int[], double> Mean(IReadOnlyList<double> values) => sample =>
    {
        var sum = 0.0;
        foreach (var i in sample)
        {
            sum += values[i];
        }
        return sum / sample.Length;
    };

    /// <summary>Σ numerator ÷ Σ denominator over the drawn units (NaN when the denominator sums to 0).</summary>
    public static Func<int[], double> Ratio(IReadOnlyList<double> numerators, IReadOnlyList<double> denominators) => sample =>
    {
        double top = 0, bottom = 0;
        foreach (var i in sample)
        {
            top += numerators[i];
            bottom += denominators[i];
        }
        return bottom > 0 ? top / bottom : double.NaN;
    };

    private static Interval Read(double observed, double[] replicates, double level, bool correctBias)
    {
        var finite = replicates.Where(r => !double.IsNaN(r)).ToArray();
        var bias = correctBias && finite.Length > 0 ? finite.Average() - observed : 0.0;
        return new Interval(observed, Quantile(finite, (1 - level) / 2) - bias, Quantile(finite, 1 - ((1 - level) / 2)) - bias);
    }

    private static void Check(int count, int resamples, double level)
    {
        if (count < 1 || resamples < 10 || !(level is > 0 and < 1))
        {
            throw new ArgumentException($"a bootstrap needs at least one unit, ten resamples and a level in (0, 1); got {count}, {resamples}, {level}");
        }
    }

    private static void Draw(Random random, int[] sample)
    {
        for (var i = 0; i < sample.Length; i++)
        {
            sample[i] = random.Next(sample.Length);
        }
    }

    private static int[] Identity(int count) => [.. Enumerable.Range(0, count)];

    /// <summary>Linear-interpolated quantile of the (finite) replicates.</summary>
    private static double Quantile(double[] replicates, double q)
    {
        var sorted = replicates.Order().ToArray();
        if (sorted.Length == 0)
        {
            return double.NaN;
        }
        var position = q * (sorted.Length - 1);
        var below = (int)Math.Floor(position);
        var above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + ((position - below) * (sorted[above] - sorted[below]));
    }
}
