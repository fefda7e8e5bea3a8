using Funnel.Data.Examples;
using Funnel.Data.Import;
using Funnel.Data.Model;
using Funnel.Data.Storage;

namespace Funnel.Data.Tests.Examples;

/// <summary>Writes a few events as a real dataset and loads its timelines, the path every split takes.</summary>
internal static class TinyTimelines
{
    public static async Task<Timelines> LoadAsync(int users, int videos, IEnumerable<Watch> watches, IEnumerable<Search>? searches = null)
    {
        using var temp = new TempFolder();
        var builder = new DatasetBuilder();
        for (var u = 0; u < users; u++)
        {
            builder.TryAddUser(new User($"u{u}", 20 + u, Gender.Female, "DE", "mobile", "de"));
        }
        for (var v = 0; v < videos; v++)
        {
            builder.TryAddVideo(new Video($"v{v}", "", 0, 0f, "", "", ""));
        }
        foreach (var watch in watches)
        {
            builder.Add(watch);
        }
        foreach (var search in searches ?? [])
        {
            builder.Add(search);
        }
        await builder.WriteAsync(temp.Combine("data"), overwrite: false, "tiny", "test");
        return await TimelineLoader.LoadAsync(await Dataset.OpenAsync(temp.Combine("data")));
    }
}
