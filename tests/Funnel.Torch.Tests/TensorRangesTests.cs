using static TorchSharp.torch;

namespace Funnel.Torch.Tests;

public sealed class TensorRangesTests
{
    [Fact]
    public void A_range_holds_start_to_stop_exclusive_as_int64()
    {
        TorchRuntime.Initialize();
        using var scope = NewDisposeScope();
        var range = TensorRanges.Of(3, 7);

        Assert.Equal(ScalarType.Int64, range.dtype);
        Assert.Equal(new long[] { 3, 4, 5, 6 }, range.data<long>().ToArray());
        Assert.Equal(0, TensorRanges.Of(5, 5).shape[0]);
    }
}
