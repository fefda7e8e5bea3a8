using System.Text.Json;
using Funnel.Core;
using Funnel.Data.Model;
using Funnel.Data.Storage;
using Funnel.Ranking.Features;
using Funnel.Ranking.Model;
using Funnel.Ranking.Sources;

namespace Funnel.Ranking.Inference;

/// <summary>
/// Writes and reads the ranking stage of a model folder (MODEL/ranking/): the network, the video
/// vocabulary, the manifest with the other vocabularies and the normalisers, and what serving needs
/// about videos without the dataset: the catalogue (channel, language, upload time, duration,
/// topics of every video) and the most popular videos (the fallback slate). The stage is
/// written into a staging folder and swapped in whole, so a crash never leaves a network next to
/// another model's vocabularies.
/// </summary>
public static class RankingModelFolder
{
    /// <summary>The stage's sub-folder.</summary>
    public const string Stage = "ranking";

    private const string NetworkFile = "network.bin";
    private const string VideosFile = "videos.txt";

    /// <summary>The video catalogue inside the stage folder.</summary>
    public const string CatalogueFile = "catalogue.parquet";

    /// <summary>Video ids by popularity in the training window, most popular first.</summary>
    public const string PopularFile = "popular.txt";

    /// <summary>The co-visitation table of the co-visits source (<see cref="SourceTables"/>).</summary>
    public const string CoVisitsFile = "covisits.tsv";

    /// <summary>Each region's most watched videos, for the regional source.</summary>
    public const string RegionalFile = "popular-by-region.tsv";

    /// <summary>Each counted video's watches, so live co-visits can add to the table's counts.</summary>
    public const string WatchCountsFile = "video-watches.tsv";

    /// <summary>Whether the model folder has a ranking stage.</summary>
    public static bool Exists(string folder) => File.Exists(Path.Combine(folder, Stage, RankingManifest.FileName));

    /// <summary>Writes the stage, replacing any earlier one.</summary>
    public static void Save(string folder, RankingNetwork network, RankingFeatureSpace space, RankingManifest manifest, IReadOnlyList<Video> catalogue, IReadOnlyList<string> popular, SourceTables sources)
    {
        AtomicFolder.Write(Path.Combine(folder, Stage), staging =>
        {
            network.save(Path.Combine(staging, NetworkFile));
            File.WriteAllLines(Path.Combine(staging, VideosFile), space.Videos.Ids);
            VideoCatalogFile.WriteAsync(Path.Combine(staging, CatalogueFile), catalogue).GetAwaiter().GetResult();
            File.WriteAllLines(Path.Combine(staging, PopularFile), popular);
            SourceTables.Write(Path.Combine(staging, CoVisitsFile), sources.CoVisits);
            SourceTables.Write(Path.Combine(staging, RegionalFile), sources.PopularByRegion);
            SourceTables.WriteCounts(Path.Combine(staging, WatchCountsFile), sources.WatchCounts);
            var checksummed = manifest with { Files = FileChecksums.Of(staging, [NetworkFile, VideosFile, CatalogueFile, PopularFile, CoVisitsFile, RegionalFile, WatchCountsFile]) };
            File.WriteAllText(Path.Combine(staging, RankingManifest.FileName), JsonSerializer.Serialize(checksummed, FunnelJson.Files));
        });
    }

    /// <summary>The catalogue and the popular videos of a model folder's ranking stage.</summary>
    public static async Task<(Video[] Catalogue, string[] Popular)> ReadCatalogueAsync(string folder, CancellationToken cancellation = default)
    {
        var stage = Path.Combine(folder, Stage);
        Verify(stage, ReadManifest(folder), CatalogueFile, PopularFile);
        var catalogue = await VideoCatalogFile.ReadAsync(Path.Combine(stage, CatalogueFile), cancellation).ConfigureAwait(false);
        var popularPath = Path.Combine(stage, PopularFile);
        var popular = File.Exists(popularPath) ? await File.ReadAllLinesAsync(popularPath, cancellation).ConfigureAwait(false) : throw new DataFormatException(popularPath, "missing: the ranking stage is incomplete");
        return (catalogue, popular);
    }

    /// <summary>
    /// The candidate sources' tables of a model folder's ranking stage, checked against the
    /// manifest; a stage saved before the tables existed has none (those sources nominate nothing).
    /// </summary>
    public static SourceTables ReadSources(string folder)
    {
        var stage = Path.Combine(folder, Stage);
        var manifest = ReadManifest(folder);
        if (manifest.Files?.Any(f => f.Name == CoVisitsFile) != true)
        {
            return SourceTables.Empty;
        }
        // Folders written before the watch counts were saved serve the tables without live co-visits.
        var counted = manifest.Files.Any(f => f.Name == WatchCountsFile);
        Verify(stage, manifest, [CoVisitsFile, RegionalFile, .. counted ? [WatchCountsFile] : Array.Empty<string>()]);
        return new SourceTables(
            SourceTables.Read(Path.Combine(stage, CoVisitsFile)),
            SourceTables.Read(Path.Combine(stage, RegionalFile)),
            counted ? SourceTables.ReadCounts(Path.Combine(stage, WatchCountsFile)) : new Dictionary<string, int>());
    }

    /// <summary>The manifest and feature space of a model folder's ranking stage, checked for consistency.</summary>
    public static (RankingManifest Manifest, RankingFeatureSpace Space) ReadStage(string folder)
    {
        var stage = Path.Combine(folder, Stage);
        var path = Path.Combine(stage, RankingManifest.FileName);
        var manifest = ReadManifest(folder);
        var videosPath = Path.Combine(stage, VideosFile);
        if (!File.Exists(videosPath))
        {
            throw new DataFormatException(videosPath, "missing: the ranking stage is incomplete");
        }
        Verify(stage, manifest, VideosFile);
        var videos = File.ReadAllLines(videosPath);
        var shape = manifest.Network;
        var vocabularies = manifest.Vocabularies;
        Check(videosPath, "rows", videos.Length + 1, shape.VideoRows);
        Check(path, "vocabularies.channels", vocabularies.Channels.Count + 1, shape.ChannelRows);
        Check(path, "vocabularies.languages", vocabularies.Languages.Count + 1, shape.LanguageRows);
        Check(path, "vocabularies.devices", vocabularies.Devices.Count + 1, shape.DeviceRows);
        Check(path, "vocabularies.regions", vocabularies.Regions.Count + 1, shape.RegionRows);
        Check(path, "continuousFeatures", manifest.ContinuousFeatures.Count, shape.ContinuousFeatures);
        var byName = ContinuousFeatures.All.ToDictionary(ContinuousFeatures.Name);
        var features = manifest.ContinuousFeatures.Select(name => byName.TryGetValue(name, out var feature)
            ? feature
            : throw new DataFormatException(path, 0, "continuousFeatures", $"unknown feature '{name}'")).ToList();
        if (manifest.Normalizers.Count != features.Count || manifest.Normalizers.Where((n, i) => n.Feature != manifest.ContinuousFeatures[i]).Any())
        {
            throw new DataFormatException(path, 0, "normalizers", "the normalisers do not match the continuous features one for one");
        }
        try
        {
            var space = new RankingFeatureSpace(
                new RankingVocabulary("videos", videos),
                new RankingVocabulary("channels", vocabularies.Channels),
                new RankingVocabulary("languages", vocabularies.Languages),
                new RankingVocabulary("devices", vocabularies.Devices),
                new RankingVocabulary("regions", vocabularies.Regions),
                features,
                [.. manifest.Normalizers.Select(n => new QuantileNormalizer(n.Feature, n.Boundaries))]);
            return (manifest, space);
        }
        catch (ArgumentException error)
        {
            throw new DataFormatException(path, error.Message);
        }
    }

    /// <summary>Loads the network of the stage (eval mode).</summary>
    public static RankingNetwork LoadNetwork(string folder, RankingManifest manifest)
    {
        var path = Path.Combine(folder, Stage, NetworkFile);
        if (!File.Exists(path))
        {
            throw new DataFormatException(path, "missing: the ranking stage is incomplete");
        }
        Verify(Path.Combine(folder, Stage), manifest, NetworkFile);
        var network = new RankingNetwork(manifest.Network);
        try
        {
            network.load(path);
        }
        catch (Exception error) when (error is ArgumentException or InvalidOperationException or IOException or FormatException)
        {
            network.Dispose();
            throw new DataFormatException(path, $"cannot be loaded into the network the manifest describes: {error.Message}");
        }
        network.eval();
        return network;
    }

    /// <summary>The saved form of a feature space's small vocabularies.</summary>
    public static SavedVocabularies Vocabularies(RankingFeatureSpace space) =>
        new(space.Channels.Ids, space.Languages.Ids, space.Devices.Ids, space.Regions.Ids);

    /// <summary>The stage's manifest alone, without the vocabularies and normalisers it describes.</summary>
    private static RankingManifest ReadManifest(string folder) =>
        ManifestFile.Read<RankingManifest>(Path.Combine(folder, Stage, RankingManifest.FileName), FunnelJson.Files, m => m.FormatVersion, RankingManifest.CurrentFormatVersion, "the model folder has no ranker (run funnel train ranking)");

    private static void Verify(string stage, RankingManifest manifest, params string[] names)
    {
        var listed = manifest.Files ?? throw new DataFormatException(Path.Combine(stage, RankingManifest.FileName), 0, "files", "missing: the manifest lists no file checksums; retrain the ranker with this version");
        FileChecksums.Verify(stage, listed.Where(f => names.Contains(f.Name)), RankingManifest.FileName);
    }

    private static void Check(string path, string field, int actual, int expected)
    {
        if (actual != expected)
        {
            throw new DataFormatException(path, 0, field, $"holds {actual} rows but the network has {expected}");
        }
    }
}
