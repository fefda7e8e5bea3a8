using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Funnel.Candidates.Model;
using Funnel.Core;
using Funnel.Data.Examples;
using Funnel.Retrieval;
using Funnel.Retrieval.Hnsw;
using Funnel.Retrieval.Persistence;

namespace Funnel.Candidates.Inference;

/// <summary>Names of the category ids of a candidate model (index 0: unknown).</summary>
/// <param name="Regions">Region names.</param>
/// <param name="Devices">Device names.</param>
/// <param name="Languages">Language names.</param>
public sealed record CategoryNames(IReadOnlyList<string> Regions, IReadOnlyList<string> Devices, IReadOnlyList<string> Languages);

/// <summary>
/// Writes and reads a candidate model folder. The folder holds what serving needs without the
/// training code: the network (user tower and tables), the video vectors for the index, and the
/// vocabularies by external id.
/// </summary>
public static class CandidateModelFolder
{
    /// <summary>The sub-folder of the candidate stage's files.</summary>
    public const string Stage = "candidates";

    private const string NetworkFile = "network.bin";

    /// <summary>The files of candidates/ the manifest checksums (the index folder has checksums of its own).</summary>
    private static readonly string[] StageFiles = [NetworkFile, "video-vectors.f32", "videos.txt", "tokens.txt", "categories.json"];

    /// <summary>The nearest-neighbour index of the video vectors, inside the stage folder.</summary>
    public const string IndexFolderName = "index";

    /// <summary>Opens the model's index, checked against the model (dimension, video count, version).</summary>
    public static IVectorIndex LoadIndex(string folder, CandidateModelManifest manifest, bool view = false) =>
        IndexFolder.Load(Path.Combine(folder, Stage, IndexFolderName), new IndexExpectation(manifest.Network.EmbeddingDimension, manifest.Network.Videos - 1, manifest.VersionTag()), view);

    /// <summary>Writes the model's files (each through a temporary file and a rename), the manifest last.</summary>
    public static void Save(string folder, CandidateNetwork network, DataSplit split, CandidateModelManifest manifest, IndexKind index = IndexKind.Auto)
    {
        var categories = split.Timelines.Categories;
        Save(folder, network, [.. VideoIds(split)], [.. TokenNames(split)], new CategoryNames(categories.RegionNames, categories.DeviceNames, categories.LanguageNames), manifest, index);
    }

    /// <summary>
    /// Writes a model from its vocabularies by name (row 0 of each is the unknown row): for models
    /// not made from a dataset split, such as the untrained, paper-sized ones serving benchmarks use;
    /// <paramref name="hnsw"/>: the graph's parameters when the index is HNSW (null: the defaults).
    /// </summary>
    public static void Save(string folder, CandidateNetwork network, IReadOnlyList<string> videoIds, IReadOnlyList<string> tokens, CategoryNames categories, CandidateModelManifest manifest, IndexKind index = IndexKind.Auto, HnswOptions? hnsw = null)
    {
        var stage = Directory.CreateDirectory(Path.Combine(folder, Stage)).FullName;
        AtomicFile.Write(Path.Combine(stage, NetworkFile), path => network.save(path));
        using (var vectors = network.ServingVideoVectors())
        {
            var values = vectors.contiguous().data<float>().ToArray();
            AtomicFile.Write(Path.Combine(stage, "video-vectors.f32"), path => File.WriteAllBytes(path, MemoryMarshalBytes(values)));
        }
        using (var built = CandidateIndex.Build(network, index, hnsw))
        {
            IndexFolder.Save(built, Path.Combine(stage, IndexFolderName), manifest.VersionTag());
        }
        AtomicFile.Write(Path.Combine(stage, "videos.txt"), path => File.WriteAllLines(path, videoIds));
        AtomicFile.Write(Path.Combine(stage, "tokens.txt"), path => File.WriteAllLines(path, tokens));
        AtomicFile.WriteAllText(Path.Combine(stage, "categories.json"), JsonSerializer.Serialize(new { regions = categories.Regions, devices = categories.Devices, languages = categories.Languages }, FunnelJson.Files));
        var checksummed = manifest with { Files = FileChecksums.Of(folder, StageFiles.Select(name => $"{Stage}/{name}")) };
        AtomicFile.WriteAllText(Path.Combine(folder, CandidateModelManifest.FileName), JsonSerializer.Serialize(checksummed, FunnelJson.Files));
    }

    /// <summary>Reads a model folder's manifest; errors name the file and what is wrong.</summary>
    public static CandidateModelManifest ReadManifest(string folder) =>
        ManifestFile.Read<CandidateModelManifest>(
            Path.Combine(folder, CandidateModelManifest.FileName),
            FunnelJson.Files,
            m => m.FormatVersion,
            CandidateModelManifest.CurrentFormatVersion,
            "not a Funnel model folder, or its training did not finish");

    /// <summary>Loads the network of a model folder, checked against the manifest's size and checksum first.</summary>
    public static CandidateNetwork LoadNetwork(string folder, CandidateModelManifest manifest)
    {
        var path = Path.Combine(folder, Stage, NetworkFile);
        if (!File.Exists(path))
        {
            throw new DataFormatException(path, "missing: the model folder is incomplete");
        }
        Verify(folder, manifest, NetworkFile);
        var network = new CandidateNetwork(manifest.Network);
        try
        {
            network.load(path);
        }
        catch (Exception error) when (error is ArgumentException or InvalidOperationException or IOException or FormatException)
        {
            network.Dispose();
            throw new DataFormatException(path, $"cannot be loaded into the network model.json describes: {error.Message}");
        }
        return network;
    }

    /// <summary>Checks the named files of candidates/ (all of them when none are named) against the manifest.</summary>
    public static void Verify(string folder, CandidateModelManifest manifest, params string[] names)
    {
        var listed = manifest.Files ?? throw new DataFormatException(Path.Combine(folder, CandidateModelManifest.FileName), 0, "files", "missing: the manifest lists no file checksums; retrain with this version");
        var wanted = names.Length == 0 ? StageFiles : names;
        FileChecksums.Verify(folder, listed.Where(f => wanted.Any(name => f.Name == $"{Stage}/{name}")), CandidateModelManifest.FileName);
    }

    /// <summary>A fingerprint of a split's vocabularies: the same data and options give the same one.</summary>
    public static string VocabularyFingerprint(DataSplit split)
    {
        var text = string.Join('\n', VideoIds(split)) + "\n--\n" + string.Join('\n', TokenNames(split));
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>External video id of every vocabulary row; row 0 (out of vocabulary) is empty.</summary>
    private static IEnumerable<string> VideoIds(DataSplit split) =>
        Enumerable.Range(0, split.Videos.Rows).Select(row => row == 0 ? "" : split.Timelines.Videos[split.Videos.KeyOf(row)].Id);

    private static IEnumerable<string> TokenNames(DataSplit split) =>
        Enumerable.Range(0, split.Tokens.Rows).Select(row => row == 0 ? "" : split.Timelines.TokenNames[split.Tokens.KeyOf(row)]);

    private static byte[] MemoryMarshalBytes(float[] values) => System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
}
