namespace Funnel.Data.Storage;

/// <summary>Helpers for the chunked event streams of <see cref="Dataset"/>.</summary>
public static class ChunkedReads
{
    /// <summary>Every event of a chunked stream in one list, in stream order (for tables that fit in memory).</summary>
    public static async Task<List<T>> FlattenAsync<T>(this IAsyncEnumerable<T[]> chunks)
    {
        var all = new List<T>();
        await foreach (var chunk in chunks.ConfigureAwait(false))
        {
            all.AddRange(chunk);
        }
        return all;
    }
}
