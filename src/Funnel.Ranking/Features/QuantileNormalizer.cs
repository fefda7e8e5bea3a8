namespace Funnel.Ranking.Features;

/// <summary>
/// The paper's normalisation of a continuous ranking feature (Covington et al., §4.1): x is mapped
/// to x̃ ∈ [0, 1), its cumulative distribution on the training data, estimated from quantile
/// boundaries and interpolated linearly between them. Stored with the model, so serving maps a
/// value exactly as training did; values beyond the training range map to 0 or to just below 1.
/// </summary>
public sealed class QuantileNormalizer
{
    /// <summary>The largest float below 1: x̃ never reaches 1.</summary>
    private static readonly float BelowOne = MathF.BitDecrement(1f);

    /// <summary>Creates a normaliser from saved boundaries (non-decreasing, at least two).</summary>
    public QuantileNormalizer(string feature, IReadOnlyList<double> boundaries)
    {
        ArgumentNullException.ThrowIfNull(boundaries);
        if (boundaries.Count < 2)
        {
            throw new ArgumentException($"feature '{feature}': a normaliser needs at least 2 quantile boundaries, got {boundaries.Count}");
        }
        for (var i = 0; i < boundaries.Count; i++)
        {
            if (!double.IsFinite(boundaries[i]) || (i > 0 && boundaries[i] < boundaries[i - 1]))
            {
                throw new ArgumentException($"feature '{feature}': quantile boundary {i} ({boundaries[i]}) is not finite or falls below the one before");
            }
        }
        Feature = feature;
        bounds = [.. boundaries];
        runEnd = new int[bounds.Length];
        for (var i = bounds.Length - 1; i >= 0; i--)
        {
            runEnd[i] = i + 1 < bounds.Length && bounds[i + 1] == bounds[i] ? runEnd[i + 1] : i;
        }
    }

    private readonly double[] bounds;

    /// <summary>For each boundary, the last index of the run of boundaries equal to it.</summary>
    private readonly int[] runEnd;

    /// <summary>The feature's name (in error messages and the model's files).</summary>
    public string Feature { get; }

    /// <summary>Q + 1 quantile boundaries b₀ ≤ … ≤ b_Q (b₀ the minimum, b_Q the maximum seen in training).</summary>
    public IReadOnlyList<double> Boundaries => bounds;

    /// <summary>Fits <paramref name="quantiles"/> + 1 boundaries on the training values.</summary>
    public static QuantileNormalizer Fit(string feature, ReadOnlySpan<double> values, int quantiles = 1000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(quantiles, 1);
        if (values.IsEmpty)
        {
            throw new ArgumentException($"feature '{feature}': no training values to fit a normaliser on");
        }
        var sorted = values.ToArray();
        for (var i = 0; i < sorted.Length; i++)
        {
            if (!double.IsFinite(sorted[i]))
            {
                throw new ArgumentException($"feature '{feature}': training value {i} is {sorted[i]}");
            }
        }
        Array.Sort(sorted);
        var boundaries = new double[quantiles + 1];
        for (var q = 0; q <= quantiles; q++)
        {
            // Linear interpolation between order statistics (the usual "type 7" sample quantile).
            var position = (double)q * (sorted.Length - 1) / quantiles;
            var below = (int)Math.Floor(position);
            var above = Math.Min(below + 1, sorted.Length - 1);
            boundaries[q] = sorted[below] + ((position - below) * (sorted[above] - sorted[below]));
        }
        return new QuantileNormalizer(feature, boundaries);
    }

    /// <summary>
    /// x̃ = the fraction of training values below x, in [0, 1). Between boundaries b_j &lt; b_j+1 it
    /// is (j + (x − b_j) / (b_j+1 − b_j)) / Q. A value equal to a run of tied boundaries b_a = … = b_c
    /// (e.g. the many zeros of a count) maps to the middle of the run, (a + c) / 2Q, not to its top,
    /// so a common value is not pushed to the end of the scale.
    /// </summary>
    public float Normalize(double x)
    {
        if (double.IsNaN(x))
        {
            throw new ArgumentException($"feature '{Feature}': the value is NaN");
        }
        var b = bounds;
        var q = b.Length - 1;
        if (x < b[0])
        {
            return 0f;
        }
        if (x > b[q])
        {
            return BelowOne;
        }
        // First boundary ≥ x; when x is a boundary, the last one equal to it (a common value such as
        // 0 impressions can span most of the boundaries).
        var first = LowerBound(b, x);
        if (b[first] == x)
        {
            return Math.Min((float)((first + runEnd[first]) / (2.0 * q)), BelowOne);
        }
        var j = first - 1;
        var fraction = (x - b[j]) / (b[first] - b[j]);
        return Math.Min((float)((j + fraction) / q), BelowOne);
    }

    /// <summary>The three inputs the network gets for this feature: x̃, x̃² and √x̃.</summary>
    public (float Value, float Square, float Root) Features(double x)
    {
        var normalized = Normalize(x);
        return (normalized, normalized * normalized, MathF.Sqrt(normalized));
    }

    /// <summary>The first index whose boundary is ≥ x, for b₀ ≤ x ≤ b_Q.</summary>
    /// <remarks>
    /// Without a branch on the comparison (the JIT makes the select a conditional move): a ranker
    /// normalises ten features of hundreds of candidates a request, and the classic search's
    /// unpredictable branch cost more than its compares.
    /// </remarks>
    private static int LowerBound(double[] boundaries, double x)
    {
        var low = 0;
        var length = boundaries.Length;
        while (length > 1)
        {
            var half = length >> 1;
            low = boundaries[low + half - 1] < x ? low + half : low;
            length -= half;
        }
        return boundaries[low] < x ? low + 1 : low;
    }
}
