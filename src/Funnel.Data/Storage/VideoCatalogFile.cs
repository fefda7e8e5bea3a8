using Funnel.Core;
using Funnel.Data.Model;

namespace Funnel.Data.Storage;

/// <summary>A video catalogue as one Parquet file in the dataset's videos.parquet layout, for model folders that serve without the dataset.</summary>
public static class VideoCatalogFile
{
    /// <summary>Writes the videos atomically.</summary>
    public static async Task WriteAsync(string path, IReadOnlyList<Video> videos, CancellationToken cancellation = default)
    {
        var temporary = path + ".tmp";
        await CatalogTables.WriteVideosAsync(temporary, videos, cancellation).ConfigureAwait(false);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Reads the videos; a missing or malformed file is an error naming it.</summary>
    public static Task<Video[]> ReadAsync(string path, CancellationToken cancellation = default) =>
        File.Exists(path)
            ? CatalogTables.ReadVideosAsync(path, cancellation)
            : throw new DataFormatException(path, "missing: the model folder has no video catalogue");
}
