using TorchSharp;
using static TorchSharp.torch;

namespace Funnel.Torch;

/// <summary>
/// Integer ranges as int64 tensors. arange takes Scalars, and an implicit conversion's temporary
/// can be finalised while native code still reads it (see <see cref="RootedScalars"/>); these keep
/// theirs alive for the call.
/// </summary>
public static class TensorRanges
{
    /// <summary>start, start + 1, …, stop − 1. [stop − start]</summary>
    public static Tensor Of(long start, long stop, Device? device = null)
    {
        using var from = start.ToScalar();
        using var to = stop.ToScalar();
        return arange(from, to, RootedScalars.OneInt64, dtype: ScalarType.Int64, device: device);
    }
}
