namespace Funnel.Retrieval;

/// <summary>The argument checks every index shares, with messages that carry the actual values.</summary>
internal static class VectorChecks
{
    /// <summary>Rejects a vector of the wrong length or with a NaN or infinite component.</summary>
    public static void Vector(ReadOnlySpan<float> vector, int dimensions, string what)
    {
        if (vector.Length != dimensions)
        {
            throw new ArgumentException($"{what} has {vector.Length} dimensions, the index {dimensions}");
        }
        if (FirstNonFinite(vector) is var i and >= 0)
        {
            throw new ArgumentException($"{what} has a non-finite component ({vector[i]}) at position {i}");
        }
    }

    /// <summary>The position of the first NaN or infinite component, or −1.</summary>
    public static int FirstNonFinite(ReadOnlySpan<float> vector)
    {
        for (var i = 0; i < vector.Length; i++)
        {
            if (!float.IsFinite(vector[i]))
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>Rejects a batch whose length is not a whole number of vectors.</summary>
    public static int BatchRows(ReadOnlySpan<float> queries, int dimensions)
    {
        if (dimensions == 0 || queries.Length % dimensions != 0)
        {
            throw new ArgumentException($"a batch of {queries.Length} floats is not a whole number of {dimensions}-dimensional queries");
        }
        return queries.Length / dimensions;
    }

    /// <summary>Rejects k below 1.</summary>
    public static void K(int k) => ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);

    /// <summary>Rejects negative keys (USearch keys are unsigned; Funnel's keys are vocabulary rows).</summary>
    public static void Key(long key) => ArgumentOutOfRangeException.ThrowIfNegative(key);
}
