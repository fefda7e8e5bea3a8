using Funnel.Data.Model;
using Parquet;
using Parquet.Schema;

namespace Funnel.Data.Storage;

/// <summary>users.parquet and videos.parquet: one row per user or video, in dense-index order.</summary>
internal static class CatalogTables
{
    public const string UsersFile = "users.parquet";
    public const string VideosFile = "videos.parquet";

    private const int RowGroupSize = 1 << 20;

    private static readonly ParquetSchema UserSchema = new(
        new DataField<string>("id"),
        new DataField<int>("age"),
        new DataField<int>("gender"),
        new DataField<string>("region"),
        new DataField<string>("device"),
        new DataField<string>("language"),
        new DataField<string>("occupation"));

    private static readonly ParquetSchema VideoSchema = new(
        new DataField<string>("id"),
        new DataField<string>("channel"),
        new DataField<long>("upload_time"),
        new DataField<float>("duration_seconds"),
        new DataField<string>("language"),
        new DataField<string>("title"),
        new DataField<string>("topics"));

    public static async Task WriteUsersAsync(string path, IReadOnlyList<User> users, CancellationToken cancellation)
    {
        var fields = UserSchema.DataFields;
        await using var stream = File.Create(path);
        await using var writer = await ParquetWriter.CreateAsync(UserSchema, stream, cancellationToken: cancellation).ConfigureAwait(false);
        foreach (var chunk in Chunks(users))
        {
            using var group = writer.CreateRowGroup();
            await group.WriteAsync(fields[0], chunk.Select(u => u.Id).ToArray(), null).ConfigureAwait(false);
            await group.WriteAsync<int>(fields[1], chunk.Select(u => u.Age).ToArray(), null, null, cancellation).ConfigureAwait(false);
            await group.WriteAsync<int>(fields[2], chunk.Select(u => (int)u.Gender).ToArray(), null, null, cancellation).ConfigureAwait(false);
            await group.WriteAsync(fields[3], chunk.Select(u => u.Region).ToArray(), null).ConfigureAwait(false);
            await group.WriteAsync(fields[4], chunk.Select(u => u.Device).ToArray(), null).ConfigureAwait(false);
            await group.WriteAsync(fields[5], chunk.Select(u => u.Language).ToArray(), null).ConfigureAwait(false);
            await group.WriteAsync(fields[6], chunk.Select(u => u.Occupation).ToArray(), null).ConfigureAwait(false);
        }
    }

    public static async Task WriteVideosAsync(string path, IReadOnlyList<Video> videos, CancellationToken cancellation)
    {
        var fields = VideoSchema.DataFields;
        await using var stream = File.Create(path);
        await using var writer = await ParquetWriter.CreateAsync(VideoSchema, stream, cancellationToken: cancellation).ConfigureAwait(false);
        foreach (var chunk in Chunks(videos))
        {
            using var group = writer.CreateRowGroup();
            await group.WriteAsync(fields[0], chunk.Select(v => v.Id).ToArray(), null).ConfigureAwait(false);
            await group.WriteAsync(fields[1], chunk.Select(v => v.Channel).ToArray(), null).ConfigureAwait(false);
            await group.WriteAsync<long>(fields[2], chunk.Select(v => v.UploadTime).ToArray(), null, null, cancellation).ConfigureAwait(false);
            await group.WriteAsync<float>(fields[3], chunk.Select(v => v.DurationSeconds).ToArray(), null, null, cancellation).ConfigureAwait(false);
            await group.WriteAsync(fields[4], chunk.Select(v => v.Language).ToArray(), null).ConfigureAwait(false);
            await group.WriteAsync(fields[5], chunk.Select(v => v.Title).ToArray(), null).ConfigureAwait(false);
            await group.WriteAsync(fields[6], chunk.Select(v => v.Topics).ToArray(), null).ConfigureAwait(false);
        }
    }

    public static async Task<User[]> ReadUsersAsync(string path, CancellationToken cancellation)
    {
        var users = new List<User>();
        await using var reader = await ParquetFiles.OpenAsync(path, UserSchema, cancellation).ConfigureAwait(false);
        var fields = UserSchema.DataFields;
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var ids = await ParquetFiles.ReadStringsAsync(group, fields[0], cancellation).ConfigureAwait(false);
            var ages = await ParquetFiles.ReadValuesAsync<int>(group, fields[1], cancellation).ConfigureAwait(false);
            var genders = await ParquetFiles.ReadValuesAsync<int>(group, fields[2], cancellation).ConfigureAwait(false);
            var regions = await ParquetFiles.ReadStringsAsync(group, fields[3], cancellation).ConfigureAwait(false);
            var devices = await ParquetFiles.ReadStringsAsync(group, fields[4], cancellation).ConfigureAwait(false);
            var languages = await ParquetFiles.ReadStringsAsync(group, fields[5], cancellation).ConfigureAwait(false);
            var occupations = await ParquetFiles.ReadStringsAsync(group, fields[6], cancellation).ConfigureAwait(false);
            for (var i = 0; i < ids.Length; i++)
            {
                users.Add(new User(ids[i], ages[i], (Gender)genders[i], regions[i], devices[i], languages[i], occupations[i]));
            }
        }
        return [.. users];
    }

    public static async Task<Video[]> ReadVideosAsync(string path, CancellationToken cancellation)
    {
        var videos = new List<Video>();
        await using var reader = await ParquetFiles.OpenAsync(path, VideoSchema, cancellation).ConfigureAwait(false);
        var fields = VideoSchema.DataFields;
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var ids = await ParquetFiles.ReadStringsAsync(group, fields[0], cancellation).ConfigureAwait(false);
            var channels = await ParquetFiles.ReadStringsAsync(group, fields[1], cancellation).ConfigureAwait(false);
            var uploads = await ParquetFiles.ReadValuesAsync<long>(group, fields[2], cancellation).ConfigureAwait(false);
            var durations = await ParquetFiles.ReadValuesAsync<float>(group, fields[3], cancellation).ConfigureAwait(false);
            var languages = await ParquetFiles.ReadStringsAsync(group, fields[4], cancellation).ConfigureAwait(false);
            var titles = await ParquetFiles.ReadStringsAsync(group, fields[5], cancellation).ConfigureAwait(false);
            var topics = await ParquetFiles.ReadStringsAsync(group, fields[6], cancellation).ConfigureAwait(false);
            for (var i = 0; i < ids.Length; i++)
            {
                videos.Add(new Video(ids[i], channels[i], uploads[i], durations[i], languages[i], titles[i], topics[i]));
            }
        }
        return [.. videos];
    }

    /// <summary>Row groups of at most <see cref="RowGroupSize"/>; an empty table still gets one, empty.</summary>
    private static IEnumerable<T[]> Chunks<T>(IReadOnlyList<T> rows)
    {
        var start = 0;
        do
        {
            var length = Math.Min(RowGroupSize, rows.Count - start);
            var chunk = new T[length];
            for (var i = 0; i < length; i++)
            {
                chunk[i] = rows[start + i];
            }
            yield return chunk;
            start += length;
        }
        while (start < rows.Count);
    }
}
