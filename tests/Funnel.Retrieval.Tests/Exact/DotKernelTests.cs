using Funnel.Retrieval.Exact;

namespace Funnel.Retrieval.Tests.Exact;

public sealed class DotKernelTests
{
    public static TheoryData<int, int, int> Shapes => new()
    {
        // Whole 4 × 4 tiles only.
        { 4, 8, 64 },
        // Edge queries and edge rows around whole tiles.
        { 7, 10, 64 },
        // Fewer queries and rows than one tile: everything is an edge.
        { 3, 2, 256 },
        // A length SIMD does not divide: the whole block goes through the fallback.
        { 5, 9, 13 },
        // The paper's embedding width.
        { 33, 37, 256 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Scores_equal_double_precision_dot_products(int queryCount, int rowCount, int dimensions)
    {
        // Both kernels: the 512-bit one where the machine has it, and the Vector<float> one.
        AssertAgreesWithReference(queryCount, rowCount, dimensions, seed: 1, wide: true);
        AssertAgreesWithReference(queryCount, rowCount, dimensions, seed: 1, wide: false);
    }

    [Fact]
    public void Every_length_from_1_to_256_agrees_with_the_reference()
    {
        for (var dimensions = 1; dimensions <= 256; dimensions++)
        {
            AssertAgreesWithReference(7, 40, dimensions, seed: dimensions, wide: true);
            AssertAgreesWithReference(7, 20, dimensions, seed: dimensions, wide: false);
        }
    }

    private static void AssertAgreesWithReference(int queryCount, int rowCount, int dimensions, int seed, bool wide)
    {
        var queries = TestVectors.Gaussian(queryCount, dimensions, seed);
        var rows = TestVectors.Gaussian(rowCount, dimensions, seed + 1000);
        var scores = new float[queryCount * rowCount];

        DotKernel.Scores(queries, rows, dimensions, scores, wide);

        for (var q = 0; q < queryCount; q++)
        {
            for (var r = 0; r < rowCount; r++)
            {
                double expected = 0;
                double magnitude = 0;
                for (var d = 0; d < dimensions; d++)
                {
                    var product = (double)queries[(q * dimensions) + d] * rows[(r * dimensions) + d];
                    expected += product;
                    magnitude += Math.Abs(product);
                }
                // Float error grows with the sum of magnitudes, not with the (possibly cancelling) result.
                var actual = scores[(q * rowCount) + r];
                Assert.True(Math.Abs(actual - expected) <= 1e-5 * magnitude, $"{(wide ? "wide" : "vector")} kernel, length {dimensions}, query {q}, row {r}: {actual} vs {expected}");
            }
        }
    }
}
