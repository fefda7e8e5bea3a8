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

    /// <summary>Encodes impressions into a new set.</summary>
    /// <remarks>
    /// The candidates of one request share the user's recent-watch list: when an input's list is the
    /// very object the previous input had, its bag rows are copied instead of looked up again.
    /// </remarks>
    public EncodedImpressions Encode(IReadOnlyList<RankingInput> inputs)
    {
        var encoded = new EncodedImpressions(inputs.Count, Features.Count);
        for (var i = 0; i < inputs.Count; i++)
        {
            var sameBag = i > 0 && ReferenceEquals(inputs[i].RecentWatchIds, inputs[i - 1].RecentWatchIds);
            EncodeOne(inputs[i], encoded, i, sameBag);
        }
        return encoded;
    }

    /// <summary>Encodes one impression into row <paramref name="row"/> of <paramref name="into"/>.</summary>
    public void Encode(RankingInput input, EncodedImpressions into, int row) => EncodeOne(input, into, row, sameBagAsPreviousRow: false);

    private void EncodeOne(RankingInput input, EncodedImpressions into, int row, bool sameBagAsPreviousRow)
    {
        if (into.Continuous != Features.Count)
        {
            throw new ArgumentException($"the encoded set holds {into.Continuous} continuous features, the feature space {Features.Count}");
        }
        into.Video[row] = Videos.RowOf(input.VideoId);
        into.Channel[row] = Channels.RowOf(input.Channel);
        into.UserLanguage[row] = Languages.RowOf(input.UserLanguage);
        into.VideoLanguage[row] = Languages.RowOf(input.VideoLanguage);
        into.Device[row] = Devices.RowOf(input.Device);
        into.Region[row] = Regions.RowOf(input.Region);
        var watched = into.Watched.AsSpan(row * UserActivity.MaxRecent, UserActivity.MaxRecent);
        if (sameBagAsPreviousRow)
        {
            into.Watched.AsSpan((row - 1) * UserActivity.MaxRecent, UserActivity.MaxRecent).CopyTo(watched);
        }
        else
        {
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
}
