namespace Funnel.Data.Synthetic;

/// <summary>Draws from the few distributions the world (and simulations of its users) use.</summary>
public static class Sampling
{
    /// <summary>A standard normal draw.</summary>
    public static double Normal(Random random)
    {
        // Box–Muller; 1 - NextDouble() keeps the logarithm finite.
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>An exponential draw with the given mean.</summary>
    public static double Exponential(Random random, double mean) => -mean * Math.Log(1.0 - random.NextDouble());

    /// <summary>A standard Gumbel draw (for sampling the top of noisy scores).</summary>
    public static double Gumbel(Random random) => -Math.Log(-Math.Log(1.0 - random.NextDouble() + 1e-300));

    /// <summary>A Poisson draw with the given mean.</summary>
    public static int Poisson(Random random, double mean)
    {
        // Knuth's method: means here are small (sessions per day).
        var limit = Math.Exp(-mean);
        var product = random.NextDouble();
        var count = 0;
        while (product > limit)
        {
            count++;
            product *= random.NextDouble();
        }
        return count;
    }

    /// <summary>The logistic function.</summary>
    public static double Sigmoid(double x) => 1.0 / (1.0 + Math.Exp(-x));

    /// <summary>An index drawn in proportion to the weights.</summary>
    public static int Categorical(Random random, ReadOnlySpan<float> weights)
    {
        double total = 0;
        foreach (var weight in weights)
        {
            total += weight;
        }
        var target = random.NextDouble() * total;
        for (var i = 0; i < weights.Length; i++)
        {
            target -= weights[i];
            if (target < 0)
            {
                return i;
            }
        }
        return weights.Length - 1;
    }
}
