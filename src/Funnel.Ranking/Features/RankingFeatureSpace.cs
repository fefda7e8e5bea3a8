using System.Diagnostics;

namespace Funnel.Ranking.Features;

/// <summary>How many IDs each of the ranker's ID spaces keeps.</summary>
/// <param name="Videos">Impression and watched videos (one table).</param>
/// <param name="Channels">Channels.</param>
/// <param name="Languages">User and video languages (one table).</param>
/// <param name="Devices">Devices.</param>
/// <param name="Regions">Regions.</param>
public sealed record VocabularyLimits(int Videos = 100_000, int Channels = 20_000, int Languages = 200, int Devices = 100, int Regions = 1_000);

/// <summary>
/// The ranker's features, fitted on training impressions and stored with the model: the ID
/// vocabularies (top N by clicked impressions, the rest to the zero row) and one quantile normaliser
/// per continuous feature. Encoding goes through here for training, evaluation and serving alike.
/// </summary>
public sealed class RankingFeatureSpace
{
    /// <summary>Assembles a feature space from fitted or saved parts.</summary>
    public RankingFeatureSpace(RankingVocabulary videos, RankingVocabulary channels, RankingVocabulary languages, RankingVocabulary devices, RankingVocabulary regions, IReadOnlyList<ContinuousFeature> features, IReadOnlyList<QuantileNormalizer> normalizers)
    {
        if (features.Count != normalizers.Count || features.Count == 0)
        {
            throw new ArgumentException($"a feature space needs one normaliser per continuous feature: {features.Count} features, {normalizers.Count} normalisers");
        }
        Videos = videos;
        Channels = channels;
        Languages = languages;
        Devices = devices;
        Regions = regions;
        Features = [.. features];
        Normalizers = [.. normalizers];
    }

    /// <summary>Impression and watched videos.</summary>
    public RankingVocabulary Videos { get; }

    /// <summary>Channels.</summary>
    public RankingVocabulary Channels { get; }

    /// <summary>User and video languages.</summary>
    public RankingVocabulary Languages { get; }

    /// <summary>Devices.</summary>
    public RankingVocabulary Devices { get; }

    /// <summary>Regions.</summary>
    public RankingVocabulary Regions { get; }

    /// <summary>The continuous features, in input order.</summary>
    public IReadOnlyList<ContinuousFeature> Features { get; }

    /// <summary>The normaliser of each continuous feature.</summary>
    public IReadOnlyList<QuantileNormalizer> Normalizers { get; }

    /// <summary>Fits vocabularies (on the clicked impressions) and normalisers (on all) of the training impressions.</summary>
    public static RankingFeatureSpace Fit(IReadOnlyList<RankingInput> training, IReadOnlyList<bool> clicked, IReadOnlyList<ContinuousFeature> features, VocabularyLimits limits, int quantiles = 1000)
    {
        if (training.Count == 0 || training.Count != clicked.Count)
        {
            throw new ArgumentException($"fitting needs training impressions with a label each: {training.Count} impressions, {clicked.Count} labels");
        }
        var positives = training.Where((_, i) => clicked[i]).ToList();
        var normalizers = features.Select(feature =>
        {
            var values = new double[training.Count];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = ContinuousFeatures.Raw(feature, training[i]);
            }
            return QuantileNormalizer.Fit(ContinuousFeatures.Name(feature), values, quantiles);
        }).ToList();
        return new RankingFeatureSpace(
            RankingVocabulary.Build("videos", positives.Select(p => p.VideoId), limits.Videos),
            RankingVocabulary.Build("channels", positives.Select(p => p.Channel), limits.Channels),
            RankingVocabulary.Build("languages", positives.SelectMany(p => new[] { p.UserLanguage, p.VideoLanguage }), limits.Languages),
            RankingVocabulary.Build("devices", positives.Select(p => p.Device), limits.Devices),
            RankingVocabulary.Build("regions", positives.Select(p => p.Region), limits.Regions),
            features,
            normalizers);
    }

    /// <summary>A video's rows in this space's ID spaces (out-of-vocabulary ids get row 0).</summary>
    public VideoRows RowsOf(string videoId, string channel, string language) =>
        new(Videos.RowOf(videoId), Channels.RowOf(channel), Languages.RowOf(language));

    /// <summary>Encodes impressions into a new set.</summary>
    /// <remarks>
    /// The candidates of one request share the user's strings: when an input's recent-watch list is
    /// the very object the previous input had, the two rows share one watch bag; when its language,
    /// device or region is, its row is copied instead of looked up again. A video's own rows come from
    /// <see cref="RankingInput.Rows"/> when the caller resolved them.
    /// </remarks>
    public EncodedImpressions Encode(IReadOnlyList<RankingInput> inputs)
    {
        var bags = 0;
        for (var i = 0; i < inputs.Count; i++)
        {
            bags += SharesBag(inputs, i) ? 0 : 1;
        }
        var encoded = new EncodedImpressions(inputs.Count, Features.Count, bags);
        for (var i = 0; i < inputs.Count; i++)
        {
            var shared = SharesBag(inputs, i);
            encoded.BagOfRow[i] = i == 0 ? 0 : encoded.BagOfRow[i - 1] + (shared ? 0 : 1);
            EncodeOne(inputs[i], encoded, i, i > 0 ? inputs[i - 1] : null, writeBag: !shared);
        }
        return encoded;
    }

    /// <summary>Encodes one impression into row <paramref name="row"/> of <paramref name="into"/>, a set with a watch bag per row.</summary>
    public void Encode(RankingInput input, EncodedImpressions into, int row)
    {
        // Writing a shared bag would change every row that reads it.
        if (into.Watched.Length != into.Count * UserActivity.MaxRecent || into.BagOfRow[row] != row)
        {
            throw new ArgumentException($"row {row}: one impression is encoded into a set with a watch bag per row; a set whose rows share bags is encoded whole", nameof(into));
        }
        EncodeOne(input, into, row, previous: null, writeBag: true);
    }

    private static bool SharesBag(IReadOnlyList<RankingInput> inputs, int i) =>
        i > 0 && ReferenceEquals(inputs[i].RecentWatchIds, inputs[i - 1].RecentWatchIds);

    // previous: the input encoded into row − 1, whose user rows this one may share.
    private void EncodeOne(RankingInput input, EncodedImpressions into, int row, RankingInput? previous, bool writeBag)
    {
        if (into.Continuous != Features.Count)
        {
            throw new ArgumentException($"the encoded set holds {into.Continuous} continuous features, the feature space {Features.Count}");
        }
        var rows = input.Rows ?? RowsOf(input.VideoId, input.Channel, input.VideoLanguage);
        // Checked in debug builds (the test suite): rows resolved once must be the ids' rows in this space.
        Debug.Assert(input.Rows is null || input.Rows == RowsOf(input.VideoId, input.Channel, input.VideoLanguage), $"video '{input.VideoId}': the caller's rows {input.Rows} are not its rows in this feature space");
        into.Video[row] = rows.Video;
        into.Channel[row] = rows.Channel;
        into.VideoLanguage[row] = rows.Language;
        into.UserLanguage[row] = SharedOrLookedUp(input.UserLanguage, previous?.UserLanguage, into.UserLanguage, row, Languages);
        into.Device[row] = SharedOrLookedUp(input.Device, previous?.Device, into.Device, row, Devices);
        into.Region[row] = SharedOrLookedUp(input.Region, previous?.Region, into.Region, row, Regions);
        if (writeBag)
        {
            var watched = into.BagOf(row);
            watched.Clear();
            var recent = input.RecentWatchIds;
            var skip = Math.Max(0, recent.Count - UserActivity.MaxRecent);
            for (var i = skip; i < recent.Count; i++)
            {
                watched[i - skip] = Videos.RowOf(recent[i]);
            }
        }
        var f = Features.Count;
        var dense = into.Dense.AsSpan(row * into.DenseWidth, into.DenseWidth);
        for (var j = 0; j < f; j++)
        {
            var raw = ContinuousFeatures.Raw(Features[j], input);
            if (!double.IsFinite(raw))
            {
                throw new ArgumentException($"video '{input.VideoId}': feature {ContinuousFeatures.Name(Features[j])} is {raw}");
            }
            var (value, square, root) = Normalizers[j].Features(raw);
            dense[j] = value;
            dense[f + j] = square;
            dense[(2 * f) + j] = root;
        }
    }

    /// <summary>The previous row's id row when the previous input held the very same string, else the vocabulary's.</summary>
    private static long SharedOrLookedUp(string id, string? previousId, long[] rows, int row, RankingVocabulary vocabulary) =>
        previousId is not null && ReferenceEquals(id, previousId) ? rows[row - 1] : vocabulary.RowOf(id);
}
