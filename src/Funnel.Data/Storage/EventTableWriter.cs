using Parquet;

namespace Funnel.Data.Storage;

/// <summary>
/// Streams one event table to a Parquet file in row groups, so memory stays bounded whatever the
/// row count. Checks the (user, time) order every reader relies on.
/// </summary>
/// <typeparam name="T">The event record.</typeparam>
internal sealed class EventTableWriter<T> : IAsyncDisposable
    where T : struct
{
    private readonly EventTable<T> table;
    private readonly string path;
    private readonly T[] buffer;
    private FileStream? stream;
    private ParquetWriter? writer;
    private int buffered;
    private int lastUser = -1;
    private long lastTime = long.MinValue;

    public EventTableWriter(EventTable<T> table, string path, int rowGroupSize)
    {
        this.table = table;
        this.path = path;
        buffer = new T[rowGroupSize];
    }

    public long Count { get; private set; }

    public long MinTime { get; private set; } = long.MaxValue;

    public long MaxTime { get; private set; } = long.MinValue;

    public async ValueTask AppendAsync(ReadOnlyMemory<T> rows, CancellationToken cancellation)
    {
        var offset = 0;
        while (offset < rows.Length)
        {
            var take = Math.Min(buffer.Length - buffered, rows.Length - offset);
            var source = rows.Span.Slice(offset, take);
            for (var i = 0; i < source.Length; i++)
            {
                Observe(source[i]);
            }
            source.CopyTo(buffer.AsSpan(buffered));
            buffered += take;
            offset += take;
            if (buffered == buffer.Length)
            {
                await FlushAsync(cancellation).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Writes what is buffered and closes the file; an empty table gets an empty file with its schema.</summary>
    public async Task CompleteAsync(CancellationToken cancellation)
    {
        if (buffered > 0 || writer is null)
        {
            await FlushAsync(cancellation).ConfigureAwait(false);
        }
        await DisposeAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (writer is not null)
        {
            await writer.DisposeAsync().ConfigureAwait(false);
            writer = null;
        }
        if (stream is not null)
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            stream = null;
        }
    }

    private void Observe(in T row)
    {
        var user = table.UserOf(row);
        var time = table.TimeOf(row);
        if (user < lastUser || (user == lastUser && time < lastTime))
        {
            throw new InvalidOperationException(
                $"{table.Name} must be appended in (user, time) order: row {Count + 1} has user {user} time {time} after user {lastUser} time {lastTime}");
        }
        lastUser = user;
        lastTime = time;
        MinTime = Math.Min(MinTime, time);
        MaxTime = Math.Max(MaxTime, time);
        Count++;
    }

    private async Task FlushAsync(CancellationToken cancellation)
    {
        if (writer is null)
        {
            stream = File.Create(path);
            writer = await ParquetWriter.CreateAsync(table.Schema, stream, cancellationToken: cancellation).ConfigureAwait(false);
        }
        using (var group = writer.CreateRowGroup())
        {
            await table.WriteAsync(group, buffer.AsMemory(0, buffered), cancellation).ConfigureAwait(false);
        }
        buffered = 0;
    }
}
