using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace Funnel.Ranking.Features;

/// <summary>
/// Impressions encoded for the network, in flat arrays (one entry per impression, or
/// <see cref="UserActivity.MaxRecent"/> per impression for the watch bag): vocabulary rows for the
/// categorical features, and the normalised continuous features laid out per impression as
/// [x̃₁ … x̃_F, x̃₁² … x̃_F², √x̃₁ … √x̃_F], so the "no powers" network reads the first F columns.
/// </summary>
public sealed class EncodedImpressions
{
    /// <summary>Allocates room for <paramref name="count"/> impressions with <paramref name="continuous"/> features each.</summary>
    public EncodedImpressions(int count, int continuous)
    {
        Count = count;
        Continuous = continuous;
        Video = new long[count];
        Watched = new long[count * UserActivity.MaxRecent];
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

    /// <summary>Video-vocabulary rows of the last watches, padded with the zero row.</summary>
    public long[] Watched { get; }

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

    /// <summary>A checksum of every encoded value (XxHash3, hex): the same impressions, vocabularies and normalisers give the same one.</summary>
    public string Fingerprint()
    {
        var hash = new XxHash3();
        foreach (var ids in new[] { Video, Watched, Channel, UserLanguage, VideoLanguage, Device, Region })
        {
            hash.Append(MemoryMarshal.AsBytes(ids.AsSpan()));
        }
        hash.Append(MemoryMarshal.AsBytes(Dense.AsSpan()));
        return Convert.ToHexString(hash.GetCurrentHash());
    }
}
