using System.Net;
using System.Net.Http.Json;
using Funnel.Ranking.Inference;
using Funnel.Serving.Api;
using Funnel.Serving.Contracts;
using Funnel.Serving.Recommendations;
using Funnel.Serving.Store;
using Microsoft.Extensions.DependencyInjection;

namespace Funnel.Serving.Tests.Store;

[Collection(ServingTests.Name)]
public sealed class CoVisitStoreTests(ServedModel served)
{
    private const long Time = 1_767_300_000;

    [Fact]
    public async Task Live_watches_add_co_visits_the_tables_lack_the_co_visits_source_serves_them_and_they_survive_a_restart()
    {
        var tables = RankingModelFolder.ReadSources(served.Model);
        var (watched, links) = tables.CoVisits.MaxBy(p => p.Value.Length);
        var options = new ServiceOptions(served.Model, StoreFolder: served.NewFolder("covisits"), ApiKey: "secret", Sources: new CandidateSources(Network: 1, CoVisits: 50, Fresh: 0));
        string partner;
        await using (var service = await ServedModel.StartAsync(options))
        {
            Assert.Equal(HttpStatusCode.OK, (await Watch(service, "probe", watched, Time)).StatusCode);
            var before = await Slate(service, "probe");
            // A video neither linked to the watched one nor in the probe's slate: only live co-visits can bring it.
            partner = tables.WatchCounts.Keys.Order(StringComparer.Ordinal).First(v => v != watched && links.All(l => l.VideoId != v) && before.Items.All(i => i.VideoId != v));
            for (var user = 0; user < 20; user++)
            {
                var batch = new EventBatch($"fan-{user}", [new EventRequest("watch", watched, WatchSeconds: 60, Time: Time + 10), new EventRequest("watch", partner, WatchSeconds: 60, Time: Time + 20)]);
                Assert.Equal(HttpStatusCode.OK, (await service.PostAsync("/v1/events", batch)).StatusCode);
            }

            var after = await Slate(service, "probe");

            Assert.Contains(after.Items, i => i.VideoId == partner && i.Source == CandidateSources.CoVisitsName);
            var live = await service.App.Services.GetRequiredService<CoVisitStore>().ReadAsync(Table(served.Model), [watched]);
            Assert.Equal(20, live.Pairs[watched][partner]);
            Assert.Equal(21, live.Watches[watched]);
            Assert.Equal(20, live.Watches[partner]);
        }

        await using var restarted = await ServedModel.StartAsync(options);
        Assert.Contains((await Slate(restarted, "probe")).Items, i => i.VideoId == partner && i.Source == CandidateSources.CoVisitsName);
    }

    [Fact]
    public async Task An_upload_watched_beside_a_video_is_nominated_by_the_co_visits_source_before_retraining()
    {
        var tables = RankingModelFolder.ReadSources(served.Model);
        var watched = tables.CoVisits.MaxBy(p => p.Value.Length).Key;
        var options = new ServiceOptions(served.Model, StoreFolder: served.NewFolder("upload-covisits"), ApiKey: "secret", Sources: new CandidateSources(Network: 1, CoVisits: 50, Fresh: 0));
        await using var service = await ServedModel.StartAsync(options);
        var upload = new UploadedVideo("upload-covisited", "", "", "", 300, Time - 3_600, "New");
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/admin/videos") { Content = JsonContent.Create(new AddVideosRequest([upload])) })
        {
            request.Headers.Add(AdminEndpoints.ApiKeyHeader, "secret");
            Assert.Equal(HttpStatusCode.OK, (await service.Client.SendAsync(request)).StatusCode);
        }
        await Watch(service, "probe", watched, Time);
        for (var user = 0; user < 10; user++)
        {
            await service.PostAsync("/v1/events", new EventBatch($"viewer-{user}", [new EventRequest("watch", watched, WatchSeconds: 60, Time: Time + 10), new EventRequest("watch", upload.Id, WatchSeconds: 60, Time: Time + 20)]));
        }

        var slate = await Slate(service, "probe");

        // No channel, topic or language to match, and the fresh source is off: only co-visits can bring it.
        Assert.Contains(slate.Items, i => i.VideoId == upload.Id && i.Source == CandidateSources.CoVisitsName);
    }

    [Fact]
    public async Task Without_a_source_or_ranker_reading_co_visits_nothing_is_counted()
    {
        // The other model's ranker has no source features, and the default sources leave co-visits off.
        var video = RankingModelFolder.ReadSources(served.OtherModel).WatchCounts.Keys.Order(StringComparer.Ordinal).First();
        await using var service = await ServedModel.StartAsync(new ServiceOptions(served.OtherModel, StoreFolder: served.NewFolder("off"), ApiKey: "secret"));
        await Watch(service, "a", video, Time);
        await Watch(service, "b", video, Time);

        var live = await service.App.Services.GetRequiredService<CoVisitStore>().ReadAsync(Table(served.OtherModel), [video]);

        Assert.Empty(live.Pairs[video]);
        Assert.False(live.Watches.ContainsKey(video));
    }

    [Fact]
    public async Task A_watch_pairs_with_the_users_last_five_watches_across_batches_not_with_other_users_and_for_its_models_tables()
    {
        var videos = RankingModelFolder.ReadSources(served.Model).WatchCounts.Keys.Order(StringComparer.Ordinal).Take(8).ToArray();
        await using var service = await ServedModel.StartAsync(new ServiceOptions(served.Model, StoreFolder: served.NewFolder("window"), ApiKey: "secret", Sources: new CandidateSources(CoVisits: 10)));
        for (var i = 0; i < 6; i++)
        {
            await Watch(service, "walker", videos[i], Time + i);
        }
        await Watch(service, "other", videos[7], Time + 10);
        await Watch(service, "walker", videos[6], Time + 20);

        var live = await service.App.Services.GetRequiredService<CoVisitStore>().ReadAsync(Table(served.Model), [videos[6]]);

        Assert.Equal(videos[1..6].Order(StringComparer.Ordinal), live.Pairs[videos[6]].Keys.Order(StringComparer.Ordinal));
        Assert.All(live.Pairs[videos[6]].Values, count => Assert.Equal(1, count));
        // Counts belong to the tables they add to: a model with other tables starts afresh.
        var other = await service.App.Services.GetRequiredService<CoVisitStore>().ReadAsync("other-tables", [videos[6]]);
        Assert.Empty(other.Pairs[videos[6]]);
        Assert.Empty(other.Watches);
    }

    private static string Table(string model) => RankingModelFolder.ReadStage(model).Manifest.Files!.Single(f => f.Name == RankingModelFolder.CoVisitsFile).XxHash3[..12];

    private static Task<HttpResponseMessage> Watch(RunningService service, string user, string video, long time) =>
        service.PostAsync("/v1/events", new EventBatch(user, [new EventRequest("watch", video, WatchSeconds: 60, Time: time)]));

    private static async Task<RecommendationResponse> Slate(RunningService service, string user)
    {
        var response = await service.PostAsync("/v1/recommendations", new RecommendationRequest(user, K: 100, Time: Time + 100));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<RecommendationResponse>())!;
    }
}
