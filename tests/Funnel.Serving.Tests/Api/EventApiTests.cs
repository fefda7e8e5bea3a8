using System.Net;
using System.Net.Http.Json;
using Funnel.Data.Storage;
using Funnel.Serving.Api;
using Funnel.Serving.Contracts;
using Microsoft.Extensions.DependencyInjection;

namespace Funnel.Serving.Tests.Api;

[Collection(ServingTests.Name)]
public sealed class EventApiTests(ServedModel served)
{
    [Theory]
    [InlineData("{\"userId\": \"u1\", \"events\": [{\"type\": \"watch\", \"videoId\": \"no-such-video\", \"watchSeconds\": 3}]}", "events[0].videoId: unknown video 'no-such-video'")]
    [InlineData("{\"userId\": \"u1\", \"events\": [{\"type\": \"watch\", \"videoId\": \"@known\"}]}", "events[0].watchSeconds: required")]
    [InlineData("{\"userId\": \"u1\", \"events\": [{\"type\": \"watch\", \"videoId\": \"@known\", \"watchSeconds\": -1}]}", "events[0].watchSeconds")]
    [InlineData("{\"userId\": \"u1\", \"events\": [{\"type\": \"search\"}]}", "events[0].query: required")]
    [InlineData("{\"userId\": \"u1\", \"events\": [{\"type\": \"search\", \"query\": \"cats\"}, {\"type\": \"impression\", \"videoId\": \"@known\", \"position\": 2}]}", "events[1]: an impression needs")]
    [InlineData("{\"userId\": \"u1\", \"events\": [{\"type\": \"like\"}]}", "events[0].type: expected watch, search or impression, got 'like'")]
    [InlineData("{\"userId\": \"u1\", \"events\": []}", "events: 1 to 1000 events required, got 0")]
    [InlineData("{\"events\": [{\"type\": \"search\", \"query\": \"cats\"}]}", "userId: required")]
    [InlineData("{\"userId\": \"u1\", \"events\": [{\"type\": \"search\", \"query\": \"cats\", \"time\": -5}]}", "events[0].time")]
    [InlineData("{\"userId\": \"u1\", \"events\": [{\"type\": \"search\", \"query\": \"cats\", \"mood\": 1}]}", "mood")]
    public async Task Bad_events_are_refused_whole_with_the_event_and_field_named(string body, string expected)
    {
        await using var service = await served.StartAsync();
        var known = (await Dataset.OpenAsync(served.Data)).Videos[0].Id;

        var response = await service.PostJsonAsync("/v1/events", body.Replace("@known", known, StringComparison.Ordinal));
        var after = await (await service.PostAsync("/v1/recommendations", new RecommendationRequest("u1", Debug: true))).Content.ReadFromJsonAsync<RecommendationResponse>();

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, expected);
        // Nothing of a refused batch was stored, not even its valid events.
        Assert.Equal(0, after!.Debug!.Events);
    }

    [Fact]
    public async Task A_fixed_clock_dates_the_events_and_slates_that_carry_no_time()
    {
        const long Fixed = 1_700_000_000;
        await using var service = await ServedModel.StartAsync(new ServiceOptions(served.Model, StoreFolder: served.NewFolder("store"), FixedTime: Fixed));
        var dataset = await Dataset.OpenAsync(served.Data);

        var posted = await service.PostAsync("/v1/events", new EventBatch("u-clock", [new EventRequest("search", Query: "cats"), new EventRequest("watch", dataset.Videos[0].Id, WatchSeconds: 5, Time: Fixed - 60)]));
        var slate = (await (await service.PostAsync("/v1/recommendations", new RecommendationRequest("u-clock", 3))).Content.ReadFromJsonAsync<RecommendationResponse>())!;
        var asked = (await (await service.PostAsync("/v1/recommendations", new RecommendationRequest("u-clock", 3, Time: Fixed + 5))).Content.ReadFromJsonAsync<RecommendationResponse>())!;

        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        var stored = await service.App.Services.GetRequiredService<Funnel.Serving.Store.IEventStore>().ReadAsync("u-clock");
        Assert.Equal([Fixed, Fixed - 60], stored.Select(e => e.Time));
        Assert.Equal(Fixed, slate.Time);
        Assert.Equal(Fixed + 5, asked.Time);
    }

    [Fact]
    public async Task A_batch_sent_again_with_its_idempotency_key_is_stored_once()
    {
        await using var service = await served.StartAsync();

        var first = await PostKeyedAsync(service, "batch-1", "cats");
        var again = await PostKeyedAsync(service, "batch-1", "cats");
        var other = await PostKeyedAsync(service, "batch-2", "dogs");
        var unkeyed = await service.PostAsync("/v1/events", new EventBatch("keyed-user", [new EventRequest("search", Query: "cats")]));
        var slate = await (await service.PostAsync("/v1/recommendations", new RecommendationRequest("keyed-user", Debug: true))).Content.ReadFromJsonAsync<RecommendationResponse>();

        Assert.Equal(new EventsAccepted(1), await first.Content.ReadFromJsonAsync<EventsAccepted>());
        Assert.Equal(new EventsAccepted(1, Replayed: true), await again.Content.ReadFromJsonAsync<EventsAccepted>());
        Assert.Equal(new EventsAccepted(1), await other.Content.ReadFromJsonAsync<EventsAccepted>());
        Assert.Equal(HttpStatusCode.OK, unkeyed.StatusCode);
        Assert.Equal(3, slate!.Debug!.Events);
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("@long")]
    public async Task A_bad_idempotency_key_is_refused(string key)
    {
        await using var service = await served.StartAsync();

        var response = await PostKeyedAsync(service, key == "@long" ? new string('k', EventEndpoints.MaxIdempotencyKeyLength + 1) : key, "cats");

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "Idempotency-Key: 1 to 128 visible ASCII characters");
    }

    private static Task<HttpResponseMessage> PostKeyedAsync(RunningService service, string key, string query)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/events") { Content = JsonContent.Create(new EventBatch("keyed-user", [new EventRequest("search", Query: query)])) };
        request.Headers.TryAddWithoutValidation(EventEndpoints.IdempotencyKeyHeader, key);
        return service.Client.SendAsync(request);
    }

    [Fact]
    public async Task Events_change_the_next_slate_and_survive_a_restart_of_the_embedded_store()
    {
        var store = served.NewFolder("durable");
        var dataset = await Dataset.OpenAsync(served.Data);
        RecommendationResponse before;
        string watched;
        await using (var service = await served.StartAsync(storeFolder: store))
        {
            before = (await (await service.PostAsync("/v1/recommendations", new RecommendationRequest("u-durable", 10, Time: 1_767_400_000))).Content.ReadFromJsonAsync<RecommendationResponse>())!;
            watched = before.Items[0].VideoId;
            EventRequest[] events =
            [
                new("impression", watched, Position: 0, Clicked: true, Time: 1_767_400_001),
                new("watch", watched, WatchSeconds: 300, Time: 1_767_400_002),
                new("search", Query: "late night cooking", Time: 1_767_400_400),
            ];
            var stored = await service.PostAsync("/v1/events", new EventBatch("u-durable", events));
            Assert.Equal(HttpStatusCode.OK, stored.StatusCode);
        }

        await using var restarted = await served.StartAsync(storeFolder: store);
        var after = (await (await restarted.PostAsync("/v1/recommendations", new RecommendationRequest("u-durable", 10, Debug: true, Time: 1_767_400_500))).Content.ReadFromJsonAsync<RecommendationResponse>())!;

        Assert.Equal(3, after.Debug!.Events);
        Assert.DoesNotContain(after.Items, i => i.VideoId == watched);
        Assert.NotEqual(before.Items.Select(i => i.VideoId), after.Items.Select(i => i.VideoId));
        Assert.NotEmpty(dataset.Videos);
    }
}
