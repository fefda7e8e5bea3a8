using Funnel.Candidates.Model;
using Funnel.Candidates.Training;
using Funnel.Core;
using Funnel.Data.Examples;
using Funnel.Evaluation;
using Funnel.Torch;

namespace Funnel.Candidates.Inference;

/// <summary>
/// model.json of a model folder: how the candidate model was made and what it scored. Written last,
/// so a folder with a manifest is complete.
/// </summary>
/// <param name="FormatVersion">Layout of the folder; see <see cref="CurrentFormatVersion"/>.</param>
/// <param name="CreatedUtc">When the model was written.</param>
/// <param name="Dataset">The training dataset's name.</param>
/// <param name="DatasetPath">Where it was read from.</param>
/// <param name="Split">The split the model was trained and tested on.</param>
/// <param name="Examples">How examples were made.</param>
/// <param name="Network">The network's shape.</param>
/// <param name="Training">How it was trained.</param>
/// <param name="VocabularyFingerprint">SHA-256 of the vocabularies: evaluation on other data is refused.</param>
/// <param name="VideoVectors">Rows and dimension of candidates/video-vectors.f32.</param>
/// <param name="History">Per-epoch loss, throughput and validation recall.</param>
/// <param name="BestEpoch">The 1-based epoch whose weights were kept.</param>
/// <param name="TestMetrics">Test metrics of the kept weights.</param>
/// <param name="Files">Size and checksum of every file of candidates/ but the index (which checks its own), filled in when the folder is written.</param>
public sealed record CandidateModelManifest(
    int FormatVersion,
    DateTimeOffset CreatedUtc,
    string Dataset,
    string DatasetPath,
    SplitOptions Split,
    ExampleOptions Examples,
    CandidateNetworkOptions Network,
    CandidateTrainingOptions Training,
    string VocabularyFingerprint,
    int[] VideoVectors,
    IReadOnlyList<EpochRecord> History,
    int BestEpoch,
    IReadOnlyList<MetricValue> TestMetrics,
    IReadOnlyList<FileChecksum>? Files = null)
{
    /// <summary>
    /// Version 2: model.json (with every file's size and checksum), candidates/{network.bin,
    /// video-vectors.f32, videos.txt, tokens.txt, categories.json, index/}, training/. Version 1 had
    /// no checksums.
    /// </summary>
    public const int CurrentFormatVersion = 2;

    /// <summary>Names this model (time written and vocabularies): the index folder records it and is refused with any other model.</summary>
    public string VersionTag() => $"{CreatedUtc.UtcDateTime:yyyyMMddTHHmmssZ}-{VocabularyFingerprint[..Math.Min(12, VocabularyFingerprint.Length)]}";

    /// <summary>The manifest's file name.</summary>
    public const string FileName = "model.json";
}
