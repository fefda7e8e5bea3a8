using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace Funnel.Retrieval.Exact;

/// <summary>
/// Scores a block of queries against a block of stored rows: scores[q, r] = queries[q]·rows[r].
/// Batched exact search is bound by arithmetic, not memory, and one dot product at a time
/// (TensorPrimitives.Dot) reloads both vectors for every pair; this kernel computes 4 queries × 4
/// rows at once, so each loaded vector feeds four fused multiply-adds. Vector&lt;float&gt; is the
/// hardware's widest profitable SIMD width (256 bits on AVX2 and AVX-512 machines), and the kernel
/// falls back to TensorPrimitives for the edges and for lengths SIMD cannot cover.
/// </summary>
internal static class DotKernel
{
    private const int Tile = 4;

    /// <summary>Fills <paramref name="scores"/> [queryCount, rowCount] (row-major).</summary>
    /// <param name="queries">[queryCount, dimensions] row-major.</param>
    /// <param name="rows">[rowCount, dimensions] row-major.</param>
    /// <param name="dimensions">Length of every vector.</param>
    /// <param name="scores">[queryCount, rowCount] row-major.</param>
    public static void Scores(ReadOnlySpan<float> queries, ReadOnlySpan<float> rows, int dimensions, Span<float> scores)
    {
        var queryCount = queries.Length / dimensions;
        var rowCount = rows.Length / dimensions;
        var tiled = Vector.IsHardwareAccelerated && dimensions % Vector<float>.Count == 0 && dimensions > 0;
        var queryEnd = tiled ? queryCount - (queryCount % Tile) : 0;
        var rowEnd = tiled ? rowCount - (rowCount % Tile) : 0;
        for (var q = 0; q < queryEnd; q += Tile)
        {
            for (var r = 0; r < rowEnd; r += Tile)
            {
                Tile4x4(queries.Slice(q * dimensions, Tile * dimensions), rows.Slice(r * dimensions, Tile * dimensions), dimensions, scores.Slice((q * rowCount) + r), rowCount);
            }
        }
        // Edges: the queries and rows outside whole tiles, one dot product at a time.
        for (var q = 0; q < queryCount; q++)
        {
            var query = queries.Slice(q * dimensions, dimensions);
            var firstRow = q < queryEnd ? rowEnd : 0;
            for (var r = firstRow; r < rowCount; r++)
            {
                scores[(q * rowCount) + r] = TensorPrimitives.Dot(query, rows.Slice(r * dimensions, dimensions));
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> MultiplyAdd(Vector<float> a, Vector<float> b, Vector<float> sum) =>
        Fma.IsSupported ? Vector.FusedMultiplyAdd(a, b, sum) : (a * b) + sum;

    private static void Tile4x4(ReadOnlySpan<float> queries, ReadOnlySpan<float> rows, int dimensions, Span<float> scores, int stride)
    {
        ref var q0 = ref MemoryMarshal.GetReference(queries);
        ref var q1 = ref Unsafe.Add(ref q0, dimensions);
        ref var q2 = ref Unsafe.Add(ref q1, dimensions);
        ref var q3 = ref Unsafe.Add(ref q2, dimensions);
        ref var r0 = ref MemoryMarshal.GetReference(rows);
        ref var r1 = ref Unsafe.Add(ref r0, dimensions);
        ref var r2 = ref Unsafe.Add(ref r1, dimensions);
        ref var r3 = ref Unsafe.Add(ref r2, dimensions);
        Vector<float> s00 = default, s01 = default, s02 = default, s03 = default;
        Vector<float> s10 = default, s11 = default, s12 = default, s13 = default;
        Vector<float> s20 = default, s21 = default, s22 = default, s23 = default;
        Vector<float> s30 = default, s31 = default, s32 = default, s33 = default;
        for (var i = 0; i < dimensions; i += Vector<float>.Count)
        {
            var a0 = Vector.LoadUnsafe(ref r0, (nuint)i);
            var a1 = Vector.LoadUnsafe(ref r1, (nuint)i);
            var a2 = Vector.LoadUnsafe(ref r2, (nuint)i);
            var a3 = Vector.LoadUnsafe(ref r3, (nuint)i);
            var b = Vector.LoadUnsafe(ref q0, (nuint)i);
            s00 = MultiplyAdd(b, a0, s00);
            s01 = MultiplyAdd(b, a1, s01);
            s02 = MultiplyAdd(b, a2, s02);
            s03 = MultiplyAdd(b, a3, s03);
            b = Vector.LoadUnsafe(ref q1, (nuint)i);
            s10 = MultiplyAdd(b, a0, s10);
            s11 = MultiplyAdd(b, a1, s11);
            s12 = MultiplyAdd(b, a2, s12);
            s13 = MultiplyAdd(b, a3, s13);
            b = Vector.LoadUnsafe(ref q2, (nuint)i);
            s20 = MultiplyAdd(b, a0, s20);
            s21 = MultiplyAdd(b, a1, s21);
            s22 = MultiplyAdd(b, a2, s22);
            s23 = MultiplyAdd(b, a3, s23);
            b = Vector.LoadUnsafe(ref q3, (nuint)i);
            s30 = MultiplyAdd(b, a0, s30);
            s31 = MultiplyAdd(b, a1, s31);
            s32 = MultiplyAdd(b, a2, s32);
            s33 = MultiplyAdd(b, a3, s33);
        }
        Store(scores, 0, Vector.Sum(s00), Vector.Sum(s01), Vector.Sum(s02), Vector.Sum(s03));
        Store(scores, stride, Vector.Sum(s10), Vector.Sum(s11), Vector.Sum(s12), Vector.Sum(s13));
        Store(scores, 2 * stride, Vector.Sum(s20), Vector.Sum(s21), Vector.Sum(s22), Vector.Sum(s23));
        Store(scores, 3 * stride, Vector.Sum(s30), Vector.Sum(s31), Vector.Sum(s32), Vector.Sum(s33));
    }

    private static void Store(Span<float> scores, int offset, float a, float b, float c, float d)
    {
        scores[offset] = a;
        scores[offset + 1] = b;
        scores[offset + 2] = c;
        scores[offset + 3] = d;
    }
}
