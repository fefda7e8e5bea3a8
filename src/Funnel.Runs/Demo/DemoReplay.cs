using System.Net.Http.Json;
using Funnel.Data.Storage;
using Funnel.Ranking.Inference;
using Funnel.Serving;
using Funnel.Serving.Contracts;
using Funnel.Serving.Hosting;
using Funnel.Serving.Store;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace Funnel.Runs.Demo;

/// <summary>One replayed user: what they did before the cut, the slate the service gave, what they watched after.</summary>
/// <param name="UserId">The user.</param>
/// <param name="Events">Events posted through the API.</param>
/// <param name="History">Their last watched videos before the cut (id and topics), oldest first.</param>
/// <param name="Slate">The slate: item, the video's topics, whether the user watched it after the cut.</param>
/// <param name="Debug">Per-stage timings of the request.</param>
/// <param name="WatchedLater">Distinct videos the user watched after the cut.</param>
/// <param name="Catalogue">Videos in the catalogue.</param>
internal sealed record ReplayedUser(string UserId, int Events, IReadOnlyList<(string Video, string Topics)> History, IReadOnlyList<(RecommendedItem Item, string Topics, bool WatchedLater)> Slate, RecommendationDebug Debug, int WatchedLater, int Catalogue);

/// <summary>
/// The demo's service part: starts the service on loopback with a fresh embedded store, posts a few
/// users' real sessions up to the ranker's holdout through POST /v1/events, and asks
/// POST /v1/recommendations for their slates at that moment.
/// </summary>
internal static class DemoReplay
{
    public static async Task<List<ReplayedUser>> RunAsync(string dataPath, string modelFolder, string storeFolder, int count, Action<string> log, CancellationToken cancellation)
    {
        var dataset = await Dataset.OpenAsync(dataPath, cancellation);
        var cut = RankingModelFolder.ReadStage(modelFolder).Manifest.HoldoutStartUtc.ToUnixTimeSeconds();
        var watches = await dataset.ReadWatchesAsync(cancellation).FlattenAsync();
        var searches = await dataset.ReadSearchesAsync(cancellation).FlattenAsync();
        var impressions = await dataset.ReadImpressionsAsync(cancellation).FlattenAsync();
        var chosen = watches.GroupBy(w => w.User)
            .Where(g => g.Count(w => w.Time < cut) >= 10 && g.Any(w => w.Time >= cut))
            .Select(g => g.Key)
            .Take(count)
            .ToList();
        if (Directory.Exists(storeFolder))
        {
            Directory.Delete(storeFolder, recursive: true);
        }
        await using var app = await ServiceHost.BuildAsync(new ServiceOptions(modelFolder, StoreFolder: storeFolder), builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
        }, cancellation);
        await app.StartAsync(cancellation);
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        log($"demo: the service is up at {client.BaseAddress}; replaying {chosen.Count} users' sessions up to {DateTimeOffset.FromUnixTimeSeconds(cut):u}");
        var replayed = new List<ReplayedUser>();
        var topicsOf = dataset.Videos.ToDictionary(v => v.Id, v => v.Topics, StringComparer.Ordinal);
        foreach (var user in chosen)
        {
            var id = dataset.Users[user].Id;
            var events = LoggedEvents.Requests(dataset.Videos, watches.Where(w => w.User == user), searches.Where(s => s.User == user), impressions.Where(m => m.User == user), cut);
            foreach (var batch in events.Chunk(ServiceOptions.MaxEventsPerRequest))
            {
                using var stored = await client.PostAsJsonAsync("/v1/events", new EventBatch(id, batch), cancellation);
                stored.EnsureSuccessStatusCode();
            }
            var profile = dataset.Users[user];
            using var response = await client.PostAsJsonAsync("/v1/recommendations", new RecommendationRequest(id, 10, new RecommendationContext(profile.Device, profile.Region, profile.Language), Debug: true, Time: cut), cancellation);
            response.EnsureSuccessStatusCode();
            var slate = (await response.Content.ReadFromJsonAsync<RecommendationResponse>(cancellation))!;
            var later = watches.Where(w => w.User == user && w.Time >= cut).Select(w => dataset.Videos[w.Video].Id).ToHashSet(StringComparer.Ordinal);
            replayed.Add(new ReplayedUser(
                id,
                events.Count,
                [.. watches.Where(w => w.User == user && w.Time < cut).TakeLast(8).Select(w => (dataset.Videos[w.Video].Id, dataset.Videos[w.Video].Topics))],
                [.. slate.Items.Select(item => (item, topicsOf.GetValueOrDefault(item.VideoId, ""), later.Contains(item.VideoId)))],
                slate.Debug!,
                later.Count,
                dataset.Videos.Count));
        }
        await app.StopAsync(cancellation);
        return replayed;
    }
}
