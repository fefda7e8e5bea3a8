namespace Funnel.Retrieval.Ivf;

/// <summary>
/// One inverted list: its keys, its vectors in f32 (the exact scores of the final ranking) and as
/// 8-bit codes with a scale and a code sum per row (what a query scans), all in one row order.
/// Removing a key moves the last row into its place, so every array stays dense.
/// </summary>
internal sealed class IvfList
{
    private readonly Dictionary<long, int> rowOfKey = [];
    private long[] keys;
    private float[] values;
    private sbyte[] codes;
    private float[] scales;
    private int[] codeSums;

    public IvfList(int dimensions, int capacity)
    {
        Dimensions = dimensions;
        var rows = Math.Max(capacity, 1);
        keys = new long[rows];
        values = new float[rows * dimensions];
        codes = new sbyte[rows * dimensions];
        scales = new float[rows];
        codeSums = new int[rows];
    }

    public int Dimensions { get; }

    public int Count { get; private set; }

    public ReadOnlySpan<long> Keys => keys.AsSpan(0, Count);

    /// <summary>[Count, Dimensions] f32, as stored (unit length for cosine).</summary>
    public ReadOnlySpan<float> Values => values.AsSpan(0, Count * Dimensions);

    /// <summary>[Count, Dimensions] codes.</summary>
    public ReadOnlySpan<sbyte> Codes => codes.AsSpan(0, Count * Dimensions);

    public ReadOnlySpan<float> Scales => scales.AsSpan(0, Count);

    public ReadOnlySpan<int> CodeSums => codeSums.AsSpan(0, Count);

    /// <summary>Stores <paramref name="vector"/> under <paramref name="key"/> (a new row, or its own), with its codes.</summary>
    public void Write(long key, ReadOnlySpan<float> vector)
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
        vector.CopyTo(values.AsSpan(row * Dimensions, Dimensions));
        var rowCodes = codes.AsSpan(row * Dimensions, Dimensions);
        scales[row] = Int8Codes.Encode(vector, rowCodes);
        codeSums[row] = Int8Codes.Sum(rowCodes);
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
            codes.AsSpan(last * Dimensions, Dimensions).CopyTo(codes.AsSpan(row * Dimensions, Dimensions));
            scales[row] = scales[last];
            codeSums[row] = codeSums[last];
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
            throw new InvalidOperationException($"an IVF list cannot hold more than {keys.Length:N0} vectors of {Dimensions} dimensions");
        }
        Array.Resize(ref keys, capacity);
        Array.Resize(ref values, capacity * Dimensions);
        Array.Resize(ref codes, capacity * Dimensions);
        Array.Resize(ref scales, capacity);
        Array.Resize(ref codeSums, capacity);
    }
}
