using Funnel.Data.Model;
using Parquet;
using Parquet.Schema;

namespace Funnel.Data.Storage;

/// <summary>watches.parquet: user int32, video int32, time int64, watch_seconds float, completion float.</summary>
public sealed class WatchTable : EventTable<Watch>
{
    /// <summary>The one instance.</summary>
    public static readonly WatchTable Instance = new();

    private static readonly ParquetSchema Layout = new(
        new DataField<int>("user"),
        new DataField<int>("video"),
        new DataField<long>("time"),
        new DataField<float>("watch_seconds"),
        new DataField<float>("completion"));

    private WatchTable()
    {
    }

    /// <inheritdoc />
    public override string Name => "watches";

    /// <inheritdoc />
    public override ParquetSchema Schema => Layout;

    /// <inheritdoc />
    public override int UserOf(in Watch row) => row.User;

    /// <inheritdoc />
    public override long TimeOf(in Watch row) => row.Time;

    /// <inheritdoc />
    public override async Task WriteAsync(ParquetRowGroupWriter writer, ReadOnlyMemory<Watch> rows, CancellationToken cancellation)
    {
        var count = rows.Length;
        var users = new int[count];
        var videos = new int[count];
        var times = new long[count];
        var seconds = new float[count];
        var completions = new float[count];
        var span = rows.Span;
        for (var i = 0; i < count; i++)
        {
            users[i] = span[i].User;
            videos[i] = span[i].Video;
            times[i] = span[i].Time;
            seconds[i] = span[i].WatchSeconds;
            completions[i] = span[i].Completion;
        }
        await writer.WriteAsync<int>(Field(0), users, null, null, cancellation).ConfigureAwait(false);
        await writer.WriteAsync<int>(Field(1), videos, null, null, cancellation).ConfigureAwait(false);
        await writer.WriteAsync<long>(Field(2), times, null, null, cancellation).ConfigureAwait(false);
        await writer.WriteAsync<float>(Field(3), seconds, null, null, cancellation).ConfigureAwait(false);
        await writer.WriteAsync<float>(Field(4), completions, null, null, cancellation).ConfigureAwait(false);
    }

    /// <summary>
    /// Reads one row group's user, video, time and completion columns straight into slices of the
    /// caller's arrays: no per-row objects, no second copy (timelines of 10M+ watches load this way).
    /// </summary>
    internal async Task ReadColumnsAsync(ParquetRowGroupReader reader, Memory<int> users, Memory<int> videos, Memory<long> times, Memory<float> completions, CancellationToken cancellation)
    {
        await reader.ReadAsync<int>(Field(0), users, null, cancellation).ConfigureAwait(false);
        await reader.ReadAsync<int>(Field(1), videos, null, cancellation).ConfigureAwait(false);
        await reader.ReadAsync<long>(Field(2), times, null, cancellation).ConfigureAwait(false);
        await reader.ReadAsync<float>(Field(4), completions, null, cancellation).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override async Task<Watch[]> ReadAsync(ParquetRowGroupReader reader, CancellationToken cancellation)
    {
        var users = await ParquetFiles.ReadValuesAsync<int>(reader, Field(0), cancellation).ConfigureAwait(false);
        var videos = await ParquetFiles.ReadValuesAsync<int>(reader, Field(1), cancellation).ConfigureAwait(false);
        var times = await ParquetFiles.ReadValuesAsync<long>(reader, Field(2), cancellation).ConfigureAwait(false);
        var seconds = await ParquetFiles.ReadValuesAsync<float>(reader, Field(3), cancellation).ConfigureAwait(false);
        var completions = await ParquetFiles.ReadValuesAsync<float>(reader, Field(4), cancellation).ConfigureAwait(false);
        var rows = new Watch[users.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            rows[i] = new Watch(users[i], videos[i], times[i], seconds[i], completions[i]);
        }
        return rows;
    }
}
