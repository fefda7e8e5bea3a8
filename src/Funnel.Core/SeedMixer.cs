namespace Funnel.Core;

/// <summary>
/// Derives independent, reproducible seeds for each part of the world (per user, per stream), so
/// users can be generated in any order or in parallel and still give the same world. HashCode is
/// randomised per process and cannot be used for this.
/// </summary>
public static class SeedMixer
{
    /// <summary>A 32-bit seed from the world seed, a stream id and an index (SplitMix64 finaliser).</summary>
    public static int Mix(int seed, int stream, long index)
    {
        var z = unchecked(((ulong)(uint)seed << 32) ^ ((ulong)(uint)stream << 48) ^ (ulong)index);
        z = unchecked(z + 0x9E3779B97F4A7C15UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        z ^= z >> 31;
        return unchecked((int)z);
    }

    /// <summary>A seeded System.Random for one stream of one index.</summary>
    public static Random Random(int seed, int stream, long index) => new(Mix(seed, stream, index));
}
