namespace Funnel.Data.Tests;

internal static class DatasetReading
{
    public static async Task<List<T>> AllAsync<T>(IAsyncEnumerable<T[]> chunks)
    {
        var rows = new List<T>();
        await foreach (var chunk in chunks)
        {
            rows.AddRange(chunk);
        }
        return rows;
    }
}
