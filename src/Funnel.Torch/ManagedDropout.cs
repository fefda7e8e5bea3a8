using System.Runtime.Intrinsics;
using static TorchSharp.torch;

namespace Funnel.Torch;

/// <summary>
/// Inverted dropout whose keep-mask is drawn in managed code: a counter-based hash (SplitMix64's
/// finaliser) of a per-call seed and the element's index, many elements at a time. libtorch's CPU
/// <c>bernoulli_</c> draws every element from its Mersenne Twister one at a time (its vectorised
/// MKL path is taken on Intel CPUs only): on this machine's AMD cores that was 19% of the attention
/// encoder's training step. The seed is drawn from torch's global generator, so
/// <c>manual_seed</c> still fixes every mask. In evaluation mode, or at rate 0, the identity.
/// </summary>
public sealed class ManagedDropout : nn.Module<Tensor, Tensor>
{
    private const ulong Golden = 0x9E3779B97F4A7C15;

    private readonly double probability;

    /// <summary>Drops each element with probability <paramref name="probability"/> (0 ≤ p &lt; 1) and scales the kept ones by 1 / (1 − p).</summary>
    public ManagedDropout(double probability)
        : base(nameof(ManagedDropout))
    {
        if (!(probability is >= 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(probability), probability, "dropout must be in [0, 1)");
        }
        this.probability = probability;
    }

    /// <summary><paramref name="input"/> times a fresh mask when training; an alias of it otherwise.</summary>
    public override Tensor forward(Tensor input)
    {
        if (!training || probability == 0)
        {
            return input.alias();
        }
        using var mask = empty(input.shape, ScalarType.Float32, input.device);
        var seed = (ulong)randint(long.MaxValue, [1], ScalarType.Int64).item<long>();
        Fill(new TensorRows(mask).Values, seed, probability);
        return input.mul(mask);
    }

    /// <summary>Writes a keep-mask into <paramref name="mask"/>: 0 with probability <paramref name="probability"/>, 1 / (1 − p) otherwise; the same seed gives the same mask.</summary>
    public static void Fill(Span<float> mask, ulong seed, double probability)
    {
        // An element is kept when its 32 random bits are at least p·2³²: two elements per hash.
        var threshold = (uint)Math.Min(probability * 4294967296.0, uint.MaxValue);
        var scale = (float)(1 / (1 - probability));
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var thresholds = Vector256.Create(threshold);
            var scales = Vector256.Create(scale);
            var lanes = Vector256.Create(0UL, 1, 2, 3);
            for (; i + 8 <= mask.Length; i += 8)
            {
                var bits = Mix(Vector256.Create(seed + ((ulong)(i / 2) * Golden)) + (lanes * Golden)).AsUInt32();
                var kept = Vector256.GreaterThanOrEqual(bits, thresholds).AsSingle();
                (kept & scales).CopyTo(mask[i..]);
            }
        }
        for (; i < mask.Length; i += 2)
        {
            var bits = Mix(seed + ((ulong)(i / 2) * Golden));
            mask[i] = (uint)bits >= threshold ? scale : 0;
            if (i + 1 < mask.Length)
            {
                mask[i + 1] = (uint)(bits >> 32) >= threshold ? scale : 0;
            }
        }
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }

    private static Vector256<ulong> Mix(Vector256<ulong> z)
    {
        z = (z ^ Vector256.ShiftRightLogical(z, 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ Vector256.ShiftRightLogical(z, 27)) * 0x94D049BB133111EB;
        return z ^ Vector256.ShiftRightLogical(z, 31);
    }
}
