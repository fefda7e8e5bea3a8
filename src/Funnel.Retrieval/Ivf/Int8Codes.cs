using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Funnel.Retrieval.Ivf;

/// <summary>
/// Vectors as 8-bit codes with one scale each (x ≈ code × scale, |code| ≤ 127), and the integer dot
/// products an inverted list is scanned with: a quarter of the bytes of f32, which is what a
/// memory-bound scan costs. Where the CPU has AVX-VNNI, 32 code pairs are multiplied and summed per
/// instruction (u8 × i8, so the query's codes are offset by 128 and each row's code sum corrects it).
/// </summary>
internal static class Int8Codes
{
    /// <summary>Writes the codes of <paramref name="vector"/>; returns its scale (0 for a zero vector).</summary>
    public static float Encode(ReadOnlySpan<float> vector, Span<sbyte> codes)
    {
        var largest = TensorPrimitives.MaxMagnitude(vector);
        if (!(Math.Abs(largest) > 0))
        {
            codes.Clear();
            return 0;
        }
        var scale = Math.Abs(largest) / 127f;
        for (var d = 0; d < vector.Length; d++)
        {
            codes[d] = (sbyte)Math.Round(vector[d] / scale);
        }
        return scale;
    }

    /// <summary>The sum of a row's codes: what the 128 offset of the query adds to its dot product.</summary>
    public static int Sum(ReadOnlySpan<sbyte> codes)
    {
        var sum = 0;
        foreach (var code in codes)
        {
            sum += code;
        }
        return sum;
    }

    /// <summary>The query's codes offset by 128 into 0..255 (the unsigned side of the VNNI product).</summary>
    public static void Offset(ReadOnlySpan<sbyte> codes, Span<byte> offset)
    {
        for (var d = 0; d < codes.Length; d++)
        {
            offset[d] = (byte)(codes[d] + 128);
        }
    }

    /// <summary>
    /// dots[r] = Σ query[d] · rows[r, d] in integers, for every row of <paramref name="rows"/>
    /// ([dots.Length, dimensions]). <paramref name="vnni"/> forces the portable path off (tests run both).
    /// </summary>
    public static void Dots(ReadOnlySpan<sbyte> query, ReadOnlySpan<byte> offsetQuery, ReadOnlySpan<sbyte> rows, ReadOnlySpan<int> rowSums, Span<int> dots, bool vnni = true)
    {
        var dimensions = query.Length;
        if (vnni && AvxVnni.IsSupported && dimensions % Vector256<byte>.Count == 0)
        {
            DotsVnni(offsetQuery, rows, rowSums, dots, dimensions);
            return;
        }
        for (var r = 0; r < dots.Length; r++)
        {
            var row = rows.Slice(r * dimensions, dimensions);
            var sum = 0;
            for (var d = 0; d < dimensions; d++)
            {
                sum += query[d] * row[d];
            }
            dots[r] = sum;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void DotsVnni(ReadOnlySpan<byte> offsetQuery, ReadOnlySpan<sbyte> rows, ReadOnlySpan<int> rowSums, Span<int> dots, int dimensions)
    {
        ref var queryStart = ref MemoryMarshal.GetReference(offsetQuery);
        ref var rowStart = ref MemoryMarshal.GetReference(rows);
        var width = Vector256<byte>.Count;
        for (var r = 0; r < dots.Length; r++)
        {
            ref var row = ref Unsafe.Add(ref rowStart, r * dimensions);
            // Two accumulators: consecutive VNNI products do not wait on each other.
            var even = Vector256<int>.Zero;
            var odd = Vector256<int>.Zero;
            var d = 0;
            for (; d + (2 * width) <= dimensions; d += 2 * width)
            {
                even = AvxVnni.MultiplyWideningAndAdd(even, Vector256.LoadUnsafe(ref queryStart, (nuint)d), Vector256.LoadUnsafe(ref row, (nuint)d));
                odd = AvxVnni.MultiplyWideningAndAdd(odd, Vector256.LoadUnsafe(ref queryStart, (nuint)(d + width)), Vector256.LoadUnsafe(ref row, (nuint)(d + width)));
            }
            if (d < dimensions)
            {
                even = AvxVnni.MultiplyWideningAndAdd(even, Vector256.LoadUnsafe(ref queryStart, (nuint)d), Vector256.LoadUnsafe(ref row, (nuint)d));
            }
            dots[r] = Vector256.Sum(even + odd) - (128 * rowSums[r]);
        }
    }
}
