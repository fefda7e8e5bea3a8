using System.Text.Json;
using Funnel.Core;

namespace Funnel.Data.Storage;

/// <summary>Row counts of a dataset's tables.</summary>
public sealed record TableCounts(long Users, long Videos, long Watches, long Searches, long Impressions);

/// <summary>
/// The manifest.json of a dataset folder: what the folder holds, written last, so a folder with a
/// manifest is complete.
/// </summary>
/// <param name="SchemaVersion">The layout version of the tables; see <see cref="CurrentSchemaVersion"/>.</param>
/// <param name="Name">A short name for reports, e.g. "ml-100k".</param>
/// <param name="Source">Where the data came from (importer and source path, or synthesiser and seed).</param>
/// <param name="CreatedUtc">When the dataset was written.</param>
/// <param name="Counts">Row counts per table.</param>
/// <param name="StartTime">Earliest event time, Unix seconds (0 when there are no events).</param>
/// <param name="EndTime">Latest event time, Unix seconds (0 when there are no events).</param>
/// <param name="Properties">Free-form facts the writer wants to keep (e.g. the synthetic world's options).</param>
/// <param name="Files">Every table's size and checksum, checked when the dataset is opened.</param>
public sealed record DatasetManifest(
    int SchemaVersion,
    string Name,
    string Source,
    DateTimeOffset CreatedUtc,
    TableCounts Counts,
    long StartTime,
    long EndTime,
    IReadOnlyDictionary<string, string> Properties,
    IReadOnlyList<FileChecksum> Files)
{
    /// <summary>
    /// The layout this build writes and reads. Version 1: users, videos, watches, searches and
    /// impressions tables; event tables sorted by (user, time); dense int32 indices for users and videos.
    /// Version 2: the same tables, with every file's size and checksum in the manifest.
    /// </summary>
    public const int CurrentSchemaVersion = 2;

    /// <summary>The manifest's file name inside a dataset folder.</summary>
    public const string FileName = "manifest.json";

    /// <summary>Reads and checks a manifest; the error names the file and what is wrong.</summary>
    public static DatasetManifest Read(string path)
    {
        ManifestFile.RequireContent(path);
        DatasetManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<DatasetManifest>(File.ReadAllText(path), FunnelJson.Files);
        }
        catch (JsonException error)
        {
            throw new DataFormatException(path, error.LineNumber is { } line ? line + 1 : 0, error.Path ?? "", $"not a valid manifest: {error.Message}");
        }
        if (manifest is null)
        {
            throw new DataFormatException(path, "empty manifest");
        }
        if (manifest.SchemaVersion > CurrentSchemaVersion)
        {
            throw new DataFormatException(path, 0, "schemaVersion", $"written by a newer Funnel (schema version {manifest.SchemaVersion}); this build reads up to version {CurrentSchemaVersion}");
        }
        if (manifest.SchemaVersion < CurrentSchemaVersion)
        {
            throw new DataFormatException(path, 0, "schemaVersion", $"schema version {manifest.SchemaVersion} has no migration to version {CurrentSchemaVersion}; re-import the source data");
        }
        if (manifest.Files is null)
        {
            throw new DataFormatException(path, 0, "files", "no file checksums: the manifest was edited or written by hand; re-import the source data");
        }
        return manifest;
    }

    /// <summary>Serialises the manifest as indented JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, FunnelJson.Files);
}
