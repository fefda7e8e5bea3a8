using System.Runtime.CompilerServices;
using Funnel.Core;
using Funnel.Data.Model;

namespace Funnel.Data.Storage;

/// <summary>
/// A dataset folder opened for reading. Users and videos are loaded (they are the catalogue); event
/// tables are streamed one Parquet row group at a time, so a dataset of any size reads in bounded memory.
/// </summary>
public sealed class Dataset
{
    private Dictionary<string, int>? userIndex;

    private Dataset(string directory, DatasetManifest manifest, User[] users, Video[] videos)
    {
        Directory = directory;
        Manifest = manifest;
        Users = users;
        Videos = videos;
    }

    /// <summary>The dataset folder.</summary>
    public string Directory { get; }

    /// <summary>The manifest.</summary>
    public DatasetManifest Manifest { get; }

    /// <summary>Users in dense-index order.</summary>
    public IReadOnlyList<User> Users { get; }

    /// <summary>Videos in dense-index order.</summary>
    public IReadOnlyList<Video> Videos { get; }

    /// <summary>Opens a dataset; errors name the file and what is wrong with it.</summary>
    public static async Task<Dataset> OpenAsync(string directory, CancellationToken cancellation = default)
    {
        if (!System.IO.Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"{directory}: no such dataset folder");
        }
        var manifestPath = Path.Combine(directory, DatasetManifest.FileName);
        if (!File.Exists(manifestPath))
        {
            throw new DataFormatException(manifestPath, "missing: the folder is not a Funnel dataset, or its write did not finish");
        }
        var manifest = DatasetManifest.Read(manifestPath);
        try
        {
            FileChecksums.Verify(directory, manifest.Files, manifestPath);
        }
        catch (InvalidDataException error)
        {
            throw new DataFormatException(manifestPath, 0, "files", error.Message);
        }
        var users = await CatalogTables.ReadUsersAsync(Path.Combine(directory, CatalogTables.UsersFile), cancellation).ConfigureAwait(false);
        var videos = await CatalogTables.ReadVideosAsync(Path.Combine(directory, CatalogTables.VideosFile), cancellation).ConfigureAwait(false);
        CheckCount(Path.Combine(directory, CatalogTables.UsersFile), "users", manifest.Counts.Users, users.Length);
        CheckCount(Path.Combine(directory, CatalogTables.VideosFile), "videos", manifest.Counts.Videos, videos.Length);
        return new Dataset(directory, manifest, users, videos);
    }

    /// <summary>The dense index of a user id, or null when the dataset has no such user.</summary>
    public int? UserIndex(string id)
    {
        userIndex ??= Users.Select((user, index) => (user.Id, index)).ToDictionary(p => p.Id, p => p.index, StringComparer.Ordinal);
        return userIndex.TryGetValue(id, out var index) ? index : null;
    }

    /// <summary>
    /// One user's watches, searches and impressions, each in time order. The tables are sorted by
    /// user, so each read stops at the first row of a later user.
    /// </summary>
    public async Task<UserLog> ReadUserAsync(int user, CancellationToken cancellation = default) => new(
        await RowsOfUserAsync(ReadWatchesAsync(cancellation), user, w => w.User).ConfigureAwait(false),
        await RowsOfUserAsync(ReadSearchesAsync(cancellation), user, s => s.User).ConfigureAwait(false),
        await RowsOfUserAsync(ReadImpressionsAsync(cancellation), user, m => m.User).ConfigureAwait(false));

    /// <summary>Watches in (user, time) order, a row group at a time.</summary>
    public IAsyncEnumerable<Watch[]> ReadWatchesAsync(CancellationToken cancellation = default) =>
        ReadAsync(WatchTable.Instance, Manifest.Counts.Watches, cancellation);

    /// <summary>Searches in (user, time) order, a row group at a time.</summary>
    public IAsyncEnumerable<Search[]> ReadSearchesAsync(CancellationToken cancellation = default) =>
        ReadAsync(SearchTable.Instance, Manifest.Counts.Searches, cancellation);

    /// <summary>Impressions in (user, time) order, a row group at a time.</summary>
    public IAsyncEnumerable<Impression[]> ReadImpressionsAsync(CancellationToken cancellation = default) =>
        ReadAsync(ImpressionTable.Instance, Manifest.Counts.Impressions, cancellation);

    /// <summary>
    /// Reads every watch's user, video, time and completion into the given arrays, each as long as
    /// the watch count, in (user, time) order.
    /// </summary>
    public async Task ReadWatchColumnsAsync(int[] users, int[] videos, long[] times, float[] completions, CancellationToken cancellation = default)
    {
        var table = WatchTable.Instance;
        await using var reader = await OpenEventTableAsync(table, Manifest.Counts.Watches, cancellation).ConfigureAwait(false);
        var total = reader.RowGroups.Sum(g => g.RowCount);
        if (users.Length != total || videos.Length != total || times.Length != total || completions.Length != total)
        {
            throw new ArgumentException($"the arrays must hold exactly {total} watches");
        }
        var offset = 0;
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var count = (int)group.RowCount;
            await table.ReadColumnsAsync(group, users.AsMemory(offset, count), videos.AsMemory(offset, count), times.AsMemory(offset, count), completions.AsMemory(offset, count), cancellation).ConfigureAwait(false);
            offset += count;
        }
    }

    private async IAsyncEnumerable<T[]> ReadAsync<T>(EventTable<T> table, long expected, [EnumeratorCancellation] CancellationToken cancellation)
        where T : struct
    {
        await using var reader = await OpenEventTableAsync(table, expected, cancellation).ConfigureAwait(false);
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            yield return await table.ReadAsync(group, cancellation).ConfigureAwait(false);
        }
    }

    /// <summary>Opens an event table and checks its schema and that its row count matches the manifest.</summary>
    private async Task<Parquet.ParquetReader> OpenEventTableAsync<T>(EventTable<T> table, long expected, CancellationToken cancellation)
        where T : struct
    {
        var path = DatasetWriter.TablePath(Directory, table.Name);
        var reader = await ParquetFiles.OpenAsync(path, table.Schema, cancellation).ConfigureAwait(false);
        var total = reader.RowGroups.Sum(g => g.RowCount);
        if (total != expected)
        {
            await reader.DisposeAsync().ConfigureAwait(false);
            CheckCount(path, table.Name, expected, total);
        }
        return reader;
    }

    private static void CheckCount(string path, string table, long expected, long actual)
    {
        if (expected != actual)
        {
            throw new DataFormatException(path, $"holds {actual} {table} rows but the manifest says {expected}: the dataset is damaged; re-import it");
        }
    }

    private static async Task<List<T>> RowsOfUserAsync<T>(IAsyncEnumerable<T[]> chunks, int user, Func<T, int> userOf)
    {
        var rows = new List<T>();
        await foreach (var chunk in chunks.ConfigureAwait(false))
        {
            foreach (var row in chunk)
            {
                var owner = userOf(row);
                if (owner > user)
                {
                    return rows;
                }
                if (owner == user)
                {
                    rows.Add(row);
                }
            }
        }
        return rows;
    }
}
