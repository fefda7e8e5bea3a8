using Funnel.Retrieval.Ivf;

namespace Funnel.Retrieval.Tests.Ivf;

public sealed class Int8CodesTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Integer_dots_equal_the_codes_products_on_either_path(bool vnni)
    {
        const int Dimensions = 96;
        var random = new Random(5);
        var query = new sbyte[Dimensions];
        var rows = new sbyte[7 * Dimensions];
        foreach (var codes in new[] { query, rows })
        {
            for (var i = 0; i < codes.Length; i++)
            {
                codes[i] = (sbyte)random.Next(-127, 128);
            }
        }
        var offset = new byte[Dimensions];
        Int8Codes.Offset(query, offset);
        var sums = Enumerable.Range(0, 7).Select(r => Int8Codes.Sum(rows.AsSpan(r * Dimensions, Dimensions))).ToArray();
        var dots = new int[7];

        Int8Codes.Dots(query, offset, rows, sums, dots, vnni);

        var expected = Enumerable.Range(0, 7).Select(r => Enumerable.Range(0, Dimensions).Sum(d => query[d] * rows[(r * Dimensions) + d])).ToArray();
        Assert.Equal(expected, dots);
    }

    [Fact]
    public void Codes_times_their_scale_stay_within_half_a_step_of_the_vector_and_a_zero_vector_has_scale_zero()
    {
        var vector = TestVectors.Gaussian(1, 64, 6);
        var codes = new sbyte[64];

        var scale = Int8Codes.Encode(vector, codes);

        Assert.Equal(127, codes.Max(c => Math.Abs((int)c)));
        Assert.All(Enumerable.Range(0, 64), d => Assert.True(Math.Abs((codes[d] * scale) - vector[d]) <= (scale / 2) + 1e-6f, $"dimension {d}"));
        Assert.Equal(0, Int8Codes.Encode(new float[64], codes));
        Assert.All(codes, c => Assert.Equal(0, c));
    }
}
