using Parquet;
using Parquet.Schema;

namespace Funnel.Data.Storage;

/// <summary>Whole-column reads of one row group.</summary>
internal static class ParquetColumns
{
    public static async Task<T[]> ReadValuesAsync<T>(ParquetRowGroupReader group, DataField field, CancellationToken cancellation)
        where T : struct
    {
        var values = new T[group.RowCount];
        await group.ReadAsync<T>(field, values.AsMemory(), null, cancellation).ConfigureAwait(false);
        return values;
    }

    /// <summary>Reads a string column; nulls come back as empty strings.</summary>
    public static async Task<string[]> ReadStringsAsync(ParquetRowGroupReader group, DataField field, CancellationToken cancellation)
    {
        var read = new string?[group.RowCount];
        await group.ReadAsync(field, read.AsMemory(), null, cancellation).ConfigureAwait(false);
        var values = new string[read.Length];
        for (var i = 0; i < read.Length; i++)
        {
            values[i] = read[i] ?? "";
        }
        return values;
    }
}
