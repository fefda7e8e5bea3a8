using System.Net.Http.Json;
using Funnel.Data.Storage;
using Funnel.Runs.Recommendations;
using Funnel.Serving.Contracts;
using Funnel.Serving.Hosting;
using Funnel.Serving.Store;
using Microsoft.Extensions.DependencyInjection;

namespace Funnel.Serving.Tests.Store;

[Collection(ServingTests.Name)]
public sealed class HistoryLoadTests(ServedModel served)
{
    [Fact]
    public async Task A_loaded_dataset_is_served_as_funnel_recommend_serves_it_at_the_same_time()
    {
        var dataset = await Dataset.OpenAsync(served.Data);
        var end = dataset.Manifest.EndTime + 1;
        HistoryLoadResult? loaded = null;
        var reports = new List<HistoryLoadProgress>();
        await using var service = await ServedModel.StartAsync(
            new ServiceOptions(served.Model, StoreFolder: served.NewFolder("store"), FixedTime: end),
            beforeStart: async app => loaded = await ServiceHistory.LoadAsync(app, served.Data, reports.Add));
        var store = service.App.Services.GetRequiredService<IEventStore>();

        var counts = dataset.Manifest.Counts;
        Assert.Equal(counts.Watches + counts.Searches + counts.Impressions, loaded!.Events + loaded.TrimmedEvents);
        Assert.Equal(0, loaded.UnknownVideoEvents);
        Assert.Equal(0, loaded.KeptUsers);
        Assert.Equal(dataset.Users.Count, reports[^1].Users);
        Assert.Equal(loaded.Events, reports[^1].Events);
        var checkedUsers = 0;
        for (var user = 0; checkedUsers < 3; user++)
        {
            var id = dataset.Users[user].Id;
            var log = await dataset.ReadUserAsync(user);
            var logged = LoggedEvents.Before(dataset.Videos, log.Watches, log.Searches, log.Impressions, long.MaxValue);
            Assert.Equal(logged.TakeLast(RedisEventStore.MaxEventsPerUser).Select(e => e.Encode()), (await store.ReadAsync(id)).Select(e => e.Encode()));
            if (logged.Count == 0)
            {
                // Nothing logged: served as new, from the request's context alone.
                Assert.Null(await store.ReadProfileAsync(id));
                continue;
            }
            checkedUsers++;
            Assert.Equal(ProfileContext.Of(dataset.Users[user]), await store.ReadProfileAsync(id));

            // No time in the request: the fixed clock, which the response names; the slate is the offline one at that time.
            var online = (await (await service.PostAsync("/v1/recommendations", new RecommendationRequest(id, 10))).Content.ReadFromJsonAsync<RecommendationResponse>())!;
            var offline = await OfflineRecommendation.RunAsync(served.Model, id, 10, service.Options.CandidateSources.Network, served.Data, end);
            Assert.Equal(end, online.Time);
            Assert.Equal(offline.Response.Items.Select(i => (i.VideoId, i.Score, i.Source)), online.Items.Select(i => (i.VideoId, i.Score, i.Source)));
        }
    }

    [Fact]
    public async Task Loading_again_keeps_every_user_the_store_holds_and_stores_nothing_twice()
    {
        var first = new List<HistoryLoadResult>();
        await using var service = await ServedModel.StartAsync(
            new ServiceOptions(served.Model, StoreFolder: served.NewFolder("store")),
            beforeStart: async app => first.Add(await ServiceHistory.LoadAsync(app, served.Data)));
        var store = service.App.Services.GetRequiredService<IEventStore>();
        var dataset = await Dataset.OpenAsync(served.Data);
        var before = (await store.ReadAsync(dataset.Users[3].Id)).Count;

        var again = await ServiceHistory.LoadAsync(service.App, served.Data);

        Assert.Equal(0, again.Events);
        Assert.Equal(first[0].LoadedUsers, again.KeptUsers);
        Assert.Equal(before, (await store.ReadAsync(dataset.Users[3].Id)).Count);
    }

    [Fact]
    public async Task A_dataset_with_more_users_than_the_store_keeps_is_refused_before_anything_is_stored()
    {
        await using var service = await ServedModel.StartAsync(new ServiceOptions(served.Model, StoreFolder: served.NewFolder("store"), MaxUsers: 10));
        var dataset = await Dataset.OpenAsync(served.Data);

        var refused = await Assert.ThrowsAsync<ArgumentException>(() => ServiceHistory.LoadAsync(service.App, served.Data));

        Assert.Contains("--max-users", refused.Message, StringComparison.Ordinal);
        Assert.Empty(await service.App.Services.GetRequiredService<IEventStore>().ReadAsync(dataset.Users[0].Id));
    }

    [Fact]
    public void A_request_context_wins_over_the_stored_profile_field_by_field()
    {
        var stored = new RecommendationContext(Device: "tv", Region: "DE", Gender: "male", Age: 40);

        var merged = ProfileContext.Merge(new RecommendationContext(Region: "FR", Age: 41), stored);

        Assert.Equal(new RecommendationContext(Device: "tv", Region: "FR", Gender: "male", Age: 41), merged);
        Assert.Equal(stored, ProfileContext.Merge(null, stored));
        Assert.Equal(new RecommendationContext(), ProfileContext.Merge(null, null));
    }
}
