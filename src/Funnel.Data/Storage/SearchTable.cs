using Funnel.Data.Model;
using Parquet;
using Parquet.Schema;

namespace Funnel.Data.Storage;

/// <summary>searches.parquet: user int32, time int64, query string.</summary>
public sealed class SearchTable : EventTable<Search>
{
    /// <summary>The one instance.</summary>
    public static readonly SearchTable Instance = new();

    private static readonly ParquetSchema Layout = new(
        new DataField<int>("user"),
        new DataField<long>("time"),
        new DataField<string>("query"));

    private SearchTable()
    {
    }

    /// <inheritdoc />
    public override string Name => "searches";

    /// <inheritdoc />
    public override ParquetSchema Schema => Layout;

    /// <inheritdoc />
    public override int UserOf(in Search row) => row.User;

    /// <inheritdoc />
    public override long TimeOf(in Search row) => row.Time;

    /// <inheritdoc />
    public override async Task WriteAsync(ParquetRowGroupWriter writer, ReadOnlyMemory<Search> rows, CancellationToken cancellation)
    {
        var count = rows.Length;
        var users = new int[count];
        var times = new long[count];
        var queries = new string[count];
        var span = rows.Span;
        for (var i = 0; i < count; i++)
        {
            users[i] = span[i].User;
            times[i] = span[i].Time;
            queries[i] = span[i].Query;
        }
        await writer.WriteAsync<int>(Field(0), users, null, null, cancellation).ConfigureAwait(false);
        await writer.WriteAsync<long>(Field(1), times, null, null, cancellation).ConfigureAwait(false);
        await writer.WriteAsync(Field(2), queries, null).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override async Task<Search[]> ReadAsync(ParquetRowGroupReader reader, CancellationToken cancellation)
    {
        var users = await ParquetFiles.ReadValuesAsync<int>(reader, Field(0), cancellation).ConfigureAwait(false);
        var times = await ParquetFiles.ReadValuesAsync<long>(reader, Field(1), cancellation).ConfigureAwait(false);
        var queries = await ParquetFiles.ReadStringsAsync(reader, Field(2), cancellation).ConfigureAwait(false);
        var rows = new Search[users.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            rows[i] = new Search(users[i], times[i], queries[i]);
        }
        return rows;
    }
}
