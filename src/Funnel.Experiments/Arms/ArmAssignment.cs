using System.IO.Hashing;
using System.Text;

namespace Funnel.Experiments.Arms;

/// <summary>
/// Users to arms by a stable hash: XxHash64 of the experiment's salt and the user id, read as a
/// point in [0, 1) and placed on the cumulative split. The same user lands in the same arm in every
/// run, whatever other users exist and in whatever order they arrive; another salt reshuffles.
/// </summary>
public sealed class ArmAssignment
{
    private readonly double[] upperBounds;
    private readonly byte[] salt;

    /// <summary>An assignment over <paramref name="weights"/> (one positive weight per arm, normalised here).</summary>
    public ArmAssignment(IReadOnlyList<double> weights, string salt)
    {
        if (weights.Count < 1 || weights.Any(w => !(w > 0) || !double.IsFinite(w)))
        {
            throw new ArgumentException($"an arm split needs one positive weight per arm; got [{string.Join(", ", weights)}]");
        }
        var total = weights.Sum();
        var running = 0.0;
        upperBounds = [.. weights.Select(w => running += w / total)];
        upperBounds[^1] = 1.0;
        this.salt = Encoding.UTF8.GetBytes(salt + "\n");
    }

    /// <summary>Arms in the split.</summary>
    public int Arms => upperBounds.Length;

    /// <summary>The arm (0-based) of a user.</summary>
    public int ArmOf(string userId)
    {
        var hash = new XxHash64();
        hash.Append(salt);
        hash.Append(Encoding.UTF8.GetBytes(userId));
        // The top 53 bits as a double in [0, 1).
        var point = (hash.GetCurrentHashAsUInt64() >> 11) * (1.0 / (1UL << 53));
        for (var arm = 0; arm < upperBounds.Length; arm++)
        {
            if (point < upperBounds[arm])
            {
                return arm;
            }
        }
        return upperBounds.Length - 1;
    }

    /// <summary>Parses a split such as "50,50" or "1,1,2" for <paramref name="arms"/> arms; null or empty splits evenly.</summary>
    public static double[] ParseSplit(string? text, int arms)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [.. Enumerable.Repeat(1.0, arms)];
        }
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var weights = new double[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!double.TryParse(parts[i], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out weights[i]) || !(weights[i] > 0))
            {
                throw new ArgumentException($"--split: '{parts[i]}' is not a positive number");
            }
        }
        if (weights.Length != arms)
        {
            throw new ArgumentException($"--split: {weights.Length} weights for {arms} arms");
        }
        return weights;
    }
}
