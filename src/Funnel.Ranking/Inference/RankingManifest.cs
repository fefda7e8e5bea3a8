using Funnel.Core;
using Funnel.Evaluation.Ranking;
using Funnel.Ranking.Model;
using Funnel.Ranking.Training;
using Funnel.Torch;

namespace Funnel.Ranking.Inference;

/// <summary>A continuous feature's saved normaliser.</summary>
/// <param name="Feature">The feature's name.</param>
/// <param name="Boundaries">Its quantile boundaries.</param>
public sealed record SavedNormalizer(string Feature, IReadOnlyList<double> Boundaries);

/// <summary>The small ID spaces, saved inline (the video IDs are in videos.txt).</summary>
/// <param name="Channels">Channel IDs by row − 1.</param>
/// <param name="Languages">Language IDs by row − 1.</param>
/// <param name="Devices">Device IDs by row − 1.</param>
/// <param name="Regions">Region IDs by row − 1.</param>
public sealed record SavedVocabularies(IReadOnlyList<string> Channels, IReadOnlyList<string> Languages, IReadOnlyList<string> Devices, IReadOnlyList<string> Regions);

/// <summary>
/// ranking/ranking.json of a model folder: how the ranker was made, what it needs to encode an
/// impression exactly as in training (vocabularies, normalisers), and what it scored on the holdout.
/// </summary>
/// <param name="FormatVersion">Layout of the stage folder; see <see cref="CurrentFormatVersion"/>.</param>
/// <param name="CreatedUtc">When it was written.</param>
/// <param name="Dataset">The training dataset's name.</param>
/// <param name="DatasetPath">Where it was read from.</param>
/// <param name="HoldoutFraction">Share of the log's time span held out for testing.</param>
/// <param name="HoldoutStartUtc">First time of the holdout.</param>
/// <param name="CandidateModelVersion">The candidate model whose scores and ranks are features (null: none).</param>
/// <param name="Network">The network's shape.</param>
/// <param name="Training">How it was trained.</param>
/// <param name="ContinuousFeatures">Continuous feature names, in input order.</param>
/// <param name="Normalizers">Their normalisers.</param>
/// <param name="Vocabularies">The small ID spaces.</param>
/// <param name="History">Per-epoch loss and throughput.</param>
/// <param name="TestMetrics">Held-out metrics.</param>
/// <param name="Files">Size and checksum of every other file of the stage, filled in when the stage is written.</param>
/// <param name="ScoreUnit">What the odds e^logit estimate (<see cref="ImpressionWeights.WatchSeconds"/> or <see cref="ImpressionWeights.ClickOdds"/>); older manifests: watch seconds.</param>
public sealed record RankingManifest(
    int FormatVersion,
    DateTimeOffset CreatedUtc,
    string Dataset,
    string DatasetPath,
    double HoldoutFraction,
    DateTimeOffset HoldoutStartUtc,
    string? CandidateModelVersion,
    RankingNetworkOptions Network,
    RankingTrainingOptions Training,
    IReadOnlyList<string> ContinuousFeatures,
    IReadOnlyList<SavedNormalizer> Normalizers,
    SavedVocabularies Vocabularies,
    IReadOnlyList<EpochRecord> History,
    IReadOnlyList<RankingMetric> TestMetrics,
    IReadOnlyList<FileChecksum>? Files = null,
    string ScoreUnit = ImpressionWeights.WatchSeconds)
{
    /// <summary>Version 2: ranking/{ranking.json (with every file's size and checksum), network.bin, videos.txt, catalogue.parquet, popular.txt}. Version 1 had no checksums.</summary>
    public const int CurrentFormatVersion = 2;

    /// <summary>The manifest's file name inside the stage folder.</summary>
    public const string FileName = "ranking.json";

    /// <summary>Whether the ranker reads the co-visits and regional sources' scores (so serving needs their tables).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool UsesSourceFeatures => ContinuousFeatures.Any(name => Funnel.Ranking.Features.ContinuousFeatures.Sources.Any(f => Funnel.Ranking.Features.ContinuousFeatures.Name(f) == name));
}
