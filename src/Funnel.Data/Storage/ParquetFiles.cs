using Funnel.Core;
using Parquet;
using Parquet.Schema;

namespace Funnel.Data.Storage;

/// <summary>Opening Funnel's Parquet tables with a schema check, and whole-column reads of one row group.</summary>
internal static class ParquetFiles
{
    /// <summary>Opens a Parquet file and checks it has the expected columns.</summary>
    public static async Task<ParquetReader> OpenAsync(string path, ParquetSchema expected, CancellationToken cancellation)
    {
        ParquetReader reader;
        try
        {
            reader = await ParquetReader.CreateAsync(path, cancellationToken: cancellation).ConfigureAwait(false);
        }
        catch (IOException error) when (error is not FileNotFoundException)
        {
            throw new DataFormatException(path, $"not a readable Parquet file: {error.Message}");
        }
        var actual = reader.Schema.DataFields.Select(f => $"{f.Name}:{f.ClrType.Name}").ToArray();
        var wanted = expected.DataFields.Select(f => $"{f.Name}:{f.ClrType.Name}").ToArray();
        if (!actual.SequenceEqual(wanted))
        {
            await reader.DisposeAsync().ConfigureAwait(false);
            throw new DataFormatException(path, $"unexpected columns [{string.Join(", ", actual)}]; expected [{string.Join(", ", wanted)}]");
        }
        return reader;
    }

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
