using TorchSharp;

namespace Funnel.Torch;

/// <summary>
/// Scalars that live as long as the process. TorchSharp's implicit conversions make a temporary
/// Scalar per call that the finaliser may free while native code still reads it; under serving
/// load that failed requests with "Unknown scalar type". Hot paths use these instead.
/// </summary>
public static class RootedScalars
{
    /// <summary>−∞ as float32: the logit of an excluded video.</summary>
    public static readonly Scalar NegativeInfinity = float.NegativeInfinity.ToScalar();

    /// <summary>0 as int64: the padding (out-of-vocabulary) row of an ID tensor.</summary>
    public static readonly Scalar ZeroInt64 = 0L.ToScalar();

    /// <summary>1 as int64.</summary>
    public static readonly Scalar OneInt64 = 1L.ToScalar();

    /// <summary>1 as int32.</summary>
    public static readonly Scalar One = 1.ToScalar();

    /// <summary>2 as int32.</summary>
    public static readonly Scalar Two = 2.ToScalar();
}
