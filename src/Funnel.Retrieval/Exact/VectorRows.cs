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

    /// <summary>Rows the arrays hold before they grow.</summary>
    public int Capacity => keys.Length;

    /// <summary>The stored rows, [Count, Dimensions].</summary>
    public ReadOnlySpan<float> Values => values.AsSpan(0, Count * Dimensions);

    /// <summary>The key of each stored row.</summary>
    public ReadOnlySpan<long> Keys => keys.AsSpan(0, Count);

    public bool Contains(long key) => rowOfKey.ContainsKey(key);

    /// <summary>Writes the vector of <paramref name="key"/>, appending a row for a new key.</summary>
    public Span<float> Write(long key) => Write(key, out _);

    /// <summary>Writes the vector of <paramref name="key"/>, appending a row for a new key; <paramref name="row"/> is where it lies.</summary>
    public Span<float> Write(long key, out int row)
    {
        if (!rowOfKey.TryGetValue(key, out row))
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

    public bool Remove(long key) => Remove(key, out _, out _);

    /// <summary>Removes <paramref name="key"/>; the last row (<paramref name="last"/>) moves into its <paramref name="row"/>, so parallel arrays can follow.</summary>
    public bool Remove(long key, out int row, out int last)
    {
        last = -1;
        if (!rowOfKey.Remove(key, out row))
        {
            return false;
        }
        last = --Count;
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
