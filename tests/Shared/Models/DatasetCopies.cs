using Funnel.Data.Import;
using Funnel.Data.Model;
using Funnel.Data.Storage;

namespace Funnel.Tests.Shared;

/// <summary>Copies of a dataset with its watches rewritten and its impressions left out: a log to compare a model's behaviour on.</summary>
internal static class DatasetCopies
{
    /// <summary>
    /// Writes <paramref name="source"/>'s users, videos, searches and watches (through
    /// <paramref name="rewrite"/>, which sees them all in (user, time) order) to <paramref name="path"/>,
    /// without impressions.
    /// </summary>
    public static async Task WriteWithoutImpressionsAsync(Dataset source, string path, string name, Func<List<Watch>, IEnumerable<Watch>>? rewrite = null)
    {
        var builder = new DatasetBuilder();
        foreach (var user in source.Users)
        {
            builder.TryAddUser(user);
        }
        foreach (var video in source.Videos)
        {
            builder.TryAddVideo(video);
        }
        var watches = await source.ReadWatchesAsync().FlattenAsync();
        foreach (var watch in rewrite is null ? watches : rewrite(watches))
        {
            builder.Add(watch);
        }
        foreach (var search in await source.ReadSearchesAsync().FlattenAsync())
        {
            builder.Add(search);
        }
        await builder.WriteAsync(path, overwrite: false, name, "test");
    }
}
