namespace Funnel.Retrieval.Exact;

/// <summary>
/// Keyed vectors in one contiguous row-major array, so a scan streams memory in order. Removing a
/// key moves the last row into its place: rows stay dense and a scan never meets a hole.
/// </summary>
internal sealed class VectorRows
{
    private readonly Dictionary<long, int> rowOfKey = [];
    private float[] values;
    private long[] keys;

    public VectorRows(int dimensions, int capacity)
    {
        Dimensions = dimensions;
        values = new float[(long)Math.Max(capacity, 1) * dimensions];
        keys = new long[Math.Max(capacity, 1)];
    }

    public int Dimensions { get; }

    public int Count { get; private set; }

    /// <summary>The stored rows, [Count, Dimensions].</summary>
    public ReadOnlySpan<float> Values => values.AsSpan(0, Count * Dimensions);

    /// <summary>The key of each stored row.</summary>
    public ReadOnlySpan<long> Keys => keys.AsSpan(0, Count);

    public bool Contains(long key) => rowOfKey.ContainsKey(key);

    /// <summary>Writes the vector of <paramref name="key"/>, appending a row for a new key.</summary>
    public Span<float> Write(long key)
    {
        if (!rowOfKey.TryGetValue(key, out var row))
        {
            if (Count == keys.Length)
            {
                Grow();
            }
            row = Count++;
            rowOfKey[key] = row;
            keys[row] = key;
        }
        return values.AsSpan(row * Dimensions, Dimensions);
    }

    public bool Remove(long key)
    {
        if (!rowOfKey.Remove(key, out var row))
        {
            return false;
        }
        var last = --Count;
        if (row != last)
        {
            values.AsSpan(last * Dimensions, Dimensions).CopyTo(values.AsSpan(row * Dimensions, Dimensions));
            keys[row] = keys[last];
            rowOfKey[keys[row]] = row;
        }
        return true;
    }

    private void Grow()
    {
        var capacity = (int)Math.Min((long)keys.Length * 2, Array.MaxLength / Math.Max(Dimensions, 1));
        if (capacity <= keys.Length)
        {
            throw new InvalidOperationException($"the exact index cannot hold more than {keys.Length:N0} vectors of {Dimensions} dimensions");
        }
        Array.Resize(ref values, capacity * Dimensions);
        Array.Resize(ref keys, capacity);
    }
}
