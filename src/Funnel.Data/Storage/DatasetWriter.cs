using Funnel.Core;
using Funnel.Data.Model;

namespace Funnel.Data.Storage;

/// <summary>
/// Writes a dataset folder atomically: everything goes into a hidden temporary folder beside the
/// target, the manifest is written last, and <see cref="CommitAsync"/> renames the folder into
/// place. Disposing without committing deletes the temporary folder, so a failed import never
/// leaves a half-written dataset and never touches an existing one.
/// </summary>
public sealed class DatasetWriter : IAsyncDisposable
{
    /// <summary>Rows per Parquet row group of the event tables: bounds the writer's memory.</summary>
    public const int DefaultRowGroupSize = 1 << 20;

    private readonly string target;
    private readonly string staging;
    private readonly bool overwrite;
    private readonly EventTableWriter<Watch> watches;
    private readonly EventTableWriter<Search> searches;
    private readonly EventTableWriter<Impression> impressions;
    private long userCount = -1;
    private long videoCount = -1;
    private bool committed;

    private DatasetWriter(string target, bool overwrite, int rowGroupSize)
    {
        this.target = Path.GetFullPath(target);
        this.overwrite = overwrite;
        staging = AtomicFolder.CreateStaging(this.target);
        watches = new(WatchTable.Instance, TablePath(staging, WatchTable.Instance.Name), rowGroupSize);
        searches = new(SearchTable.Instance, TablePath(staging, SearchTable.Instance.Name), rowGroupSize);
        impressions = new(ImpressionTable.Instance, TablePath(staging, ImpressionTable.Instance.Name), rowGroupSize);
    }

    /// <summary>The folder being written, for files a writer adds beside the tables (e.g. the synthetic world's hidden truth).</summary>
    public string StagingDirectory => staging;

    /// <summary>Starts a dataset at <paramref name="path"/>; fails at once if it exists and <paramref name="overwrite"/> is false.</summary>
    public static DatasetWriter Create(string path, bool overwrite = false, int rowGroupSize = DefaultRowGroupSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rowGroupSize, 1);
        if (!overwrite && (Directory.Exists(path) || File.Exists(path)))
        {
            throw new IOException($"{path} already exists (pass --force to replace it)");
        }
        return new DatasetWriter(path, overwrite, rowGroupSize);
    }

    /// <summary>Writes the users table; their order defines the dense user indices.</summary>
    public Task WriteUsersAsync(IReadOnlyList<User> users, CancellationToken cancellation = default)
    {
        userCount = users.Count;
        return CatalogTables.WriteUsersAsync(Path.Combine(staging, CatalogTables.UsersFile), users, cancellation);
    }

    /// <summary>Writes the videos table; their order defines the dense video indices.</summary>
    public Task WriteVideosAsync(IReadOnlyList<Video> videos, CancellationToken cancellation = default)
    {
        videoCount = videos.Count;
        return CatalogTables.WriteVideosAsync(Path.Combine(staging, CatalogTables.VideosFile), videos, cancellation);
    }

    /// <summary>Appends watches, in (user, time) order across calls.</summary>
    public ValueTask AppendWatchesAsync(ReadOnlyMemory<Watch> rows, CancellationToken cancellation = default) => watches.AppendAsync(rows, cancellation);

    /// <summary>Appends searches, in (user, time) order across calls.</summary>
    public ValueTask AppendSearchesAsync(ReadOnlyMemory<Search> rows, CancellationToken cancellation = default) => searches.AppendAsync(rows, cancellation);

    /// <summary>Appends impressions, in (user, time) order across calls.</summary>
    public ValueTask AppendImpressionsAsync(ReadOnlyMemory<Impression> rows, CancellationToken cancellation = default) => impressions.AppendAsync(rows, cancellation);

    /// <summary>Closes the tables, writes the manifest and moves the dataset into place.</summary>
    public async Task<DatasetManifest> CommitAsync(string name, string source, IReadOnlyDictionary<string, string>? properties = null, CancellationToken cancellation = default)
    {
        if (userCount < 0 || videoCount < 0)
        {
            throw new InvalidOperationException("write the users and videos tables before committing");
        }
        await watches.CompleteAsync(cancellation).ConfigureAwait(false);
        await searches.CompleteAsync(cancellation).ConfigureAwait(false);
        await impressions.CompleteAsync(cancellation).ConfigureAwait(false);
        var start = Math.Min(watches.MinTime, Math.Min(searches.MinTime, impressions.MinTime));
        var end = Math.Max(watches.MaxTime, Math.Max(searches.MaxTime, impressions.MaxTime));
        var manifest = new DatasetManifest(
            DatasetManifest.CurrentSchemaVersion,
            name,
            source,
            DateTimeOffset.UtcNow,
            new TableCounts(userCount, videoCount, watches.Count, searches.Count, impressions.Count),
            start == long.MaxValue ? 0 : start,
            end == long.MinValue ? 0 : end,
            properties ?? new Dictionary<string, string>(),
            FileChecksums.Of(staging, Directory.EnumerateFiles(staging, "*", SearchOption.AllDirectories).Select(file => Path.GetRelativePath(staging, file)).Order(StringComparer.Ordinal)));
        await File.WriteAllTextAsync(Path.Combine(staging, DatasetManifest.FileName), manifest.ToJson(), cancellation).ConfigureAwait(false);
        MoveIntoPlace();
        committed = true;
        return manifest;
    }

    /// <summary>Abandons an uncommitted dataset: the temporary folder is deleted.</summary>
    public async ValueTask DisposeAsync()
    {
        await watches.DisposeAsync().ConfigureAwait(false);
        await searches.DisposeAsync().ConfigureAwait(false);
        await impressions.DisposeAsync().ConfigureAwait(false);
        if (!committed)
        {
            AtomicFolder.DeleteIfExists(staging);
        }
    }

    internal static string TablePath(string folder, string table) => Path.Combine(folder, table + ".parquet");

    private void MoveIntoPlace()
    {
        if (!overwrite && (Directory.Exists(target) || File.Exists(target)))
        {
            throw new IOException($"{target} appeared while the dataset was being written; the new data is kept at {staging}");
        }
        AtomicFolder.Replace(staging, target);
    }
}
