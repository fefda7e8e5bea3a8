using Parquet;
using Parquet.Schema;

namespace Funnel.Data.Storage;

/// <summary>
/// The Parquet layout of one event table: its columns and how rows of <typeparamref name="T"/> map
/// to them. Every event table is sorted by (user, time), which lets readers stream one user's
/// events at a time.
/// </summary>
/// <typeparam name="T">The event record.</typeparam>
public abstract class EventTable<T>
    where T : struct
{
    /// <summary>The table's name, also its file name without extension.</summary>
    public abstract string Name { get; }

    /// <summary>The Parquet schema.</summary>
    public abstract ParquetSchema Schema { get; }

    /// <summary>The dense user index of a row.</summary>
    public abstract int UserOf(in T row);

    /// <summary>The time of a row, Unix seconds.</summary>
    public abstract long TimeOf(in T row);

    /// <summary>Writes rows as one row group.</summary>
    public abstract Task WriteAsync(ParquetRowGroupWriter writer, ReadOnlyMemory<T> rows, CancellationToken cancellation);

    /// <summary>Reads one whole row group.</summary>
    public abstract Task<T[]> ReadAsync(ParquetRowGroupReader reader, CancellationToken cancellation);

    /// <summary>The field at <paramref name="index"/> of the schema, typed.</summary>
    protected DataField Field(int index) => Schema.DataFields[index];
}
