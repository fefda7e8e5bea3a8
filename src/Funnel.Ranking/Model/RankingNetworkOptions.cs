namespace Funnel.Ranking.Model;

/// <summary>The ranking network's shape.</summary>
/// <param name="VideoRows">Rows of the video table (impression, watched videos), row 0 the zero out-of-vocabulary row.</param>
/// <param name="VideoWidth">Width of a video embedding.</param>
/// <param name="ChannelRows">Rows of the channel table.</param>
/// <param name="ChannelWidth">Width of a channel embedding.</param>
/// <param name="LanguageRows">Rows of the language table (user and video language).</param>
/// <param name="LanguageWidth">Width of a language embedding.</param>
/// <param name="DeviceRows">Rows of the device table.</param>
/// <param name="DeviceWidth">Width of a device embedding.</param>
/// <param name="RegionRows">Rows of the region table.</param>
/// <param name="RegionWidth">Width of a region embedding.</param>
/// <param name="ContinuousFeatures">Continuous features F (each given as x̃, x̃², √x̃).</param>
/// <param name="Powers">Whether x̃² and √x̃ are fed (Table 1's "no powers" row turns this off).</param>
/// <param name="Tower">ReLU layer widths before the single logit; empty is the paper's "no hidden layer".</param>
public sealed record RankingNetworkOptions(
    int VideoRows,
    int VideoWidth,
    int ChannelRows,
    int ChannelWidth,
    int LanguageRows,
    int LanguageWidth,
    int DeviceRows,
    int DeviceWidth,
    int RegionRows,
    int RegionWidth,
    int ContinuousFeatures,
    bool Powers,
    IReadOnlyList<int> Tower)
{
    /// <summary>The paper's best configuration (Table 1).</summary>
    public static readonly IReadOnlyList<int> PaperTower = [1024, 512, 256];

    /// <summary>Width of the concatenated input.</summary>
    public int InputWidth =>
        (2 * VideoWidth) + ChannelWidth + (2 * LanguageWidth) + DeviceWidth + RegionWidth + (ContinuousFeatures * (Powers ? 3 : 1));

    /// <summary>The tower's name in reports: "none" or the widths joined by '-'.</summary>
    public string TowerName => Tower.Count == 0 ? "none" : string.Join('-', Tower);

    /// <summary>Fails with the offending value when the shape cannot be built.</summary>
    public RankingNetworkOptions Validate()
    {
        int[] rows = [VideoRows, ChannelRows, LanguageRows, DeviceRows, RegionRows];
        int[] widths = [VideoWidth, ChannelWidth, LanguageWidth, DeviceWidth, RegionWidth];
        if (rows.Any(r => r < 1) || widths.Any(w => w < 1) || ContinuousFeatures < 0 || Tower.Any(w => w < 1))
        {
            throw new ArgumentException($"invalid ranking network shape: rows [{string.Join(',', rows)}], widths [{string.Join(',', widths)}], {ContinuousFeatures} continuous features, tower [{string.Join(',', Tower)}]");
        }
        return this;
    }
}
