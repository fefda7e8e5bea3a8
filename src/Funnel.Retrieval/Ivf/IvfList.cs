using Funnel.Retrieval.Exact;

namespace Funnel.Retrieval.Ivf;

/// <summary>
/// One inverted list: its keys and f32 vectors (the exact scores of the final ranking) in
/// <see cref="VectorRows"/>, and beside them, row for row, each vector's 8-bit codes, scale and code
/// sum (what a query scans). A removal moves the last row into the freed one in every array.
/// </summary>
internal sealed class IvfList
{
    private readonly VectorRows rows;
    private sbyte[] codes;
    private float[] scales;
    private int[] codeSums;

    public IvfList(int dimensions, int capacity)
    {
        rows = new VectorRows(dimensions, capacity);
        codes = new sbyte[rows.Capacity * dimensions];
        scales = new float[rows.Capacity];
        codeSums = new int[rows.Capacity];
    }

    public int Dimensions => rows.Dimensions;

    public int Count => rows.Count;

    public ReadOnlySpan<long> Keys => rows.Keys;

    /// <summary>[Count, Dimensions] f32, as stored (unit length for cosine).</summary>
    public ReadOnlySpan<float> Values => rows.Values;

    /// <summary>[Count, Dimensions] codes.</summary>
    public ReadOnlySpan<sbyte> Codes => codes.AsSpan(0, Count * Dimensions);

    public ReadOnlySpan<float> Scales => scales.AsSpan(0, Count);

    public ReadOnlySpan<int> CodeSums => codeSums.AsSpan(0, Count);

    /// <summary>Stores <paramref name="vector"/> under <paramref name="key"/> (a new row, or its own), with its codes.</summary>
    public void Write(long key, ReadOnlySpan<float> vector)
    {
        vector.CopyTo(rows.Write(key, out var row));
        if (rows.Capacity > scales.Length)
        {
            Array.Resize(ref codes, rows.Capacity * Dimensions);
            Array.Resize(ref scales, rows.Capacity);
            Array.Resize(ref codeSums, rows.Capacity);
        }
        var rowCodes = codes.AsSpan(row * Dimensions, Dimensions);
        scales[row] = Int8Codes.Encode(vector, rowCodes);
        codeSums[row] = Int8Codes.Sum(rowCodes);
    }

    public bool Remove(long key)
    {
        if (!rows.Remove(key, out var row, out var last))
        {
            return false;
        }
        if (row != last)
        {
            codes.AsSpan(last * Dimensions, Dimensions).CopyTo(codes.AsSpan(row * Dimensions, Dimensions));
            scales[row] = scales[last];
            codeSums[row] = codeSums[last];
        }
        return true;
    }
}
