using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace Funnel.Ranking.Features;

/// <summary>
/// Impressions encoded for the network, in flat arrays (one entry per impression, or
/// <see cref="UserActivity.MaxRecent"/> per watch bag): vocabulary rows for the
/// categorical features, and the normalised continuous features laid out per impression as
/// [x̃₁ … x̃_F, x̃₁² … x̃_F², √x̃₁ … √x̃_F], so the "no powers" network reads the first F columns.
/// Impressions may share a watch bag (<see cref="BagOfRow"/>): one request's candidates hold their
/// user's bag once, not once per candidate.
/// </summary>
public sealed class EncodedImpressions
{
    /// <summary>Allocates room for <paramref name="count"/> impressions with <paramref name="continuous"/> features each, each with a watch bag of its own.</summary>
    public EncodedImpressions(int count, int continuous)
        : this(count, continuous, bags: count)
    {
        for (var i = 0; i < count; i++)
        {
            BagOfRow[i] = i;
        }
    }

    /// <summary>
    /// Allocates room for <paramref name="count"/> impressions sharing <paramref name="bags"/> watch
    /// bags; the writer says which bag each row reads in <see cref="BagOfRow"/> (all read bag 0 until then).
    /// </summary>
    public EncodedImpressions(int count, int continuous, int bags)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfNegative(bags);
        Count = count;
        Continuous = continuous;
        Video = new long[count];
        Watched = new long[bags * UserActivity.MaxRecent];
        BagOfRow = new int[count];
        Channel = new long[count];
        UserLanguage = new long[count];
        VideoLanguage = new long[count];
        Device = new long[count];
        Region = new long[count];
        Dense = new float[count * DenseWidth];
    }

    /// <summary>Impressions held.</summary>
    public int Count { get; }

    /// <summary>Continuous features F per impression.</summary>
    public int Continuous { get; }

    /// <summary>Floats per impression in <see cref="Dense"/>: 3F.</summary>
    public int DenseWidth => 3 * Continuous;

    /// <summary>Video-vocabulary row of the impression video.</summary>
    public long[] Video { get; }

    /// <summary>The watch bags: video-vocabulary rows of the last watches, padded with the zero row, <see cref="UserActivity.MaxRecent"/> per bag.</summary>
    public long[] Watched { get; }

    /// <summary>The bag of <see cref="Watched"/> each impression reads.</summary>
    public int[] BagOfRow { get; }

    /// <summary>The watch bag of impression <paramref name="row"/>.</summary>
    public Span<long> BagOf(int row) => Watched.AsSpan(BagOfRow[row] * UserActivity.MaxRecent, UserActivity.MaxRecent);

    /// <summary>Channel row.</summary>
    public long[] Channel { get; }

    /// <summary>Language row of the user.</summary>
    public long[] UserLanguage { get; }

    /// <summary>Language row of the video (the same table as the user's).</summary>
    public long[] VideoLanguage { get; }

    /// <summary>Device row.</summary>
    public long[] Device { get; }

    /// <summary>Region row.</summary>
    public long[] Region { get; }

    /// <summary>Normalised continuous features with their powers.</summary>
    public float[] Dense { get; }

    /// <summary>
    /// A checksum of every encoded value (XxHash3, hex): the same impressions, vocabularies and
    /// normalisers give the same one, whether or not their rows share watch bags.
    /// </summary>
    public string Fingerprint()
    {
        var hash = new XxHash3();
        hash.Append(MemoryMarshal.AsBytes(Video.AsSpan()));
        for (var row = 0; row < Count; row++)
        {
            hash.Append(MemoryMarshal.AsBytes(BagOf(row)));
        }
        foreach (var ids in new[] { Channel, UserLanguage, VideoLanguage, Device, Region })
        {
            hash.Append(MemoryMarshal.AsBytes(ids.AsSpan()));
        }
        hash.Append(MemoryMarshal.AsBytes(Dense.AsSpan()));
        return Convert.ToHexString(hash.GetCurrentHash());
    }
}
