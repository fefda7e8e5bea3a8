using System.Globalization;
using System.Text.Json;
using Funnel.Core;

namespace Funnel.Serving.Store;

/// <summary>
/// The page and segment sizes a store's files were laid out with. Garnet finds a record of its
/// append-only file by address, through these sizes, and records them nowhere: a restart with other
/// sizes would misread the file. So a store keeps the sizes it was created with
/// (<see cref="FileName"/>), and a store from before that file existed keeps Garnet's defaults.
/// </summary>
/// <param name="MainPageBytes">Main log page (<c>--page</c>).</param>
/// <param name="LogPageBytes">Append-only file page (<c>--aof-page-size</c>): holds the largest entry, a 1 MB event batch, and is twice the main page.</param>
/// <param name="LogSegmentBytes">Append-only file segment (<c>--aof-segment-size</c>): the unit a truncation frees on disk.</param>
public sealed record StoreGeometry(long MainPageBytes, long LogPageBytes, long LogSegmentBytes)
{
    /// <summary>The file in the store folder that records the geometry.</summary>
    public const string FileName = "funnel-store.json";

    /// <summary>New stores: segments small enough that truncation after a checkpoint frees disk.</summary>
    public static readonly StoreGeometry Default = new(2L << 20, 4L << 20, 64L << 20);

    /// <summary>Garnet's own sizes, which every store written before <see cref="FileName"/> has.</summary>
    public static readonly StoreGeometry Legacy = new(16L << 20, 32L << 20, 1L << 30);

    /// <summary>
    /// The geometry of the store in <paramref name="root"/>: the recorded one; Garnet's defaults for a
    /// store with files but no record; <paramref name="fresh"/> (then recorded) for an empty folder.
    /// </summary>
    public static StoreGeometry For(string root, StoreGeometry fresh)
    {
        var path = Path.Combine(root, FileName);
        if (File.Exists(path))
        {
            try
            {
                return JsonSerializer.Deserialize<StoreGeometry>(File.ReadAllText(path), FunnelJson.Files) ?? throw new JsonException("empty");
            }
            catch (JsonException error)
            {
                throw new DataFormatException(path, $"not a store geometry: {error.Message}; it records how the store's files are laid out, so restore it rather than delete it");
            }
        }
        if (Directory.EnumerateFileSystemEntries(root).Any())
        {
            return Legacy;
        }
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(fresh, FunnelJson.Files));
        return fresh;
    }

    /// <summary>The Garnet options that lay the files out so.</summary>
    public string[] Arguments() =>
    [
        "--page", MainPageBytes.ToString(CultureInfo.InvariantCulture),
        "--aof-page-size", LogPageBytes.ToString(CultureInfo.InvariantCulture),
        "--aof-segment-size", LogSegmentBytes.ToString(CultureInfo.InvariantCulture),
    ];
}
