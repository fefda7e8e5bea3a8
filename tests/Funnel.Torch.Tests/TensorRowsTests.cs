using static TorchSharp.torch;

namespace Funnel.Torch.Tests;

public sealed class TensorRowsTests
{
    [Fact]
    public void Rows_are_views_written_in_place()
    {
        using var matrix = zeros(3, 4);
        var rows = new TensorRows(matrix);

        rows[2][1] = 5f;

        Assert.Equal((3L, 4), (rows.Count, rows.Width));
        Assert.Equal(5f, matrix[2, 1].item<float>());
    }

    [Fact]
    public void A_tensor_the_view_cannot_read_is_refused_with_its_type_and_shape()
    {
        using var transposed = zeros(3, 4).t();
        using var integers = zeros(3, 4, dtype: ScalarType.Int64);

        Assert.Contains("[4, 3]", Assert.Throws<ArgumentException>(() => new TensorRows(transposed)).Message, StringComparison.Ordinal);
        Assert.Contains("Int64", Assert.Throws<ArgumentException>(() => new TensorRows(integers)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new TensorRows(zeros(2, 2))[2].Length);
    }

    [Fact]
    public void Int64_values_are_copied_out()
    {
        using var vector = tensor(new long[] { 4, -1, 7 });
        var copy = new long[3];

        TensorRows.CopyInt64(vector, copy);

        Assert.Equal([4L, -1, 7], copy);
        Assert.Throws<ArgumentException>(() => TensorRows.CopyInt64(vector, new long[2]));
    }
}
