using Funnel.Data.Model;
using Parquet;
using Parquet.Schema;

namespace Funnel.Data.Storage;

/// <summary>
/// impressions.parquet: user int32, video int32, time int64, page int64, position int32,
/// clicked bool, watch_seconds float.
/// </summary>
public sealed class ImpressionTable : EventTable<Impression>
{
    /// <summary>The one instance.</summary>
    public static readonly ImpressionTable Instance = new();

    private static readonly ParquetSchema Layout = new(
        new DataField<int>("user"),
        new DataField<int>("video"),
        new DataField<long>("time"),
        new DataField<long>("page"),
        new DataField<int>("position"),
        new DataField<bool>("clicked"),
        new DataField<float>("watch_seconds"));

    private ImpressionTable()
    {
    }

    /// <inheritdoc />
    public override string Name => "impressions";

    /// <inheritdoc />
    public override ParquetSchema Schema => Layout;

    /// <inheritdoc />
    public override int UserOf(in Impression row) => row.User;

    /// <inheritdoc />
    public override long TimeOf(in Impression row) => row.Time;

    /// <inheritdoc />
    public override async Task WriteAsync(ParquetRowGroupWriter writer, ReadOnlyMemory<Impression> rows, CancellationToken cancellation)
    {
        var count = rows.Length;
        var users = new int[count];
        var videos = new int[count];
        var times = new long[count];
        var pages = new long[count];
        var positions = new int[count];
        var clicks = new bool[count];
        var seconds = new float[count];
        var span = rows.Span;
        for (var i = 0; i < count; i++)
        {
            users[i] = span[i].User;
            videos[i] = span[i].Video;
            times[i] = span[i].Time;
            pages[i] = span[i].Page;
            positions[i] = span[i].Position;
            clicks[i] = span[i].Clicked;
            seconds[i] = span[i].WatchSeconds;
        }
        await writer.WriteAsync<int>(Field(0), users, null, null, cancellation).ConfigureAwait(false);
        await writer.WriteAsync<int>(Field(1), videos, null, null, cancellation).ConfigureAwait(false);
        await writer.WriteAsync<long>(Field(2), times, null, null, cancellation).ConfigureAwait(false);
        await writer.WriteAsync<long>(Field(3), pages, null, null, cancellation).ConfigureAwait(false);
        await writer.WriteAsync<int>(Field(4), positions, null, null, cancellation).ConfigureAwait(false);
        await writer.WriteAsync<bool>(Field(5), clicks, null, null, cancellation).ConfigureAwait(false);
        await writer.WriteAsync<float>(Field(6), seconds, null, null, cancellation).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override async Task<Impression[]> ReadAsync(ParquetRowGroupReader reader, CancellationToken cancellation)
    {
        var users = await ParquetFiles.ReadValuesAsync<int>(reader, Field(0), cancellation).ConfigureAwait(false);
        var videos = await ParquetFiles.ReadValuesAsync<int>(reader, Field(1), cancellation).ConfigureAwait(false);
        var times = await ParquetFiles.ReadValuesAsync<long>(reader, Field(2), cancellation).ConfigureAwait(false);
        var pages = await ParquetFiles.ReadValuesAsync<long>(reader, Field(3), cancellation).ConfigureAwait(false);
        var positions = await ParquetFiles.ReadValuesAsync<int>(reader, Field(4), cancellation).ConfigureAwait(false);
        var clicks = await ParquetFiles.ReadValuesAsync<bool>(reader, Field(5), cancellation).ConfigureAwait(false);
        var seconds = await ParquetFiles.ReadValuesAsync<float>(reader, Field(6), cancellation).ConfigureAwait(false);
        var rows = new Impression[users.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            rows[i] = new Impression(users[i], videos[i], times[i], pages[i], positions[i], clicks[i], seconds[i]);
        }
        return rows;
    }
}
