using System.Net;
using System.Net.Http.Json;
using Funnel.Serving.Contracts;
using Funnel.Serving.Store;

namespace Funnel.Serving.Tests.Store;

[Collection(ServingTests.Name)]
public sealed class ExternalStoreTests(ServedModel served)
{
    [Fact]
    public async Task The_same_service_runs_on_an_external_store_and_answers_503_when_it_goes_away()
    {
        var external = EmbeddedGarnet.Start(served.NewFolder("external"));
        var options = new ServiceOptions(served.Model, Store: $"{external.Address},connectTimeout=2000,syncTimeout=2000,asyncTimeout=2000");
        await using var service = await ServedModel.StartAsync(options);
        var client = service.Client;
        var video = File.ReadAllLines(Path.Combine(served.Model, "ranking", "popular.txt"))[0];

        var stored = await client.PostAsJsonAsync("/v1/events", new EventBatch("u-external", [new EventRequest("watch", video, WatchSeconds: 42)]));
        var slate = await (await client.PostAsJsonAsync("/v1/recommendations", new RecommendationRequest("u-external", Debug: true))).Content.ReadFromJsonAsync<RecommendationResponse>();
        external.Dispose();
        var withoutStore = await client.PostAsJsonAsync("/v1/recommendations", new RecommendationRequest("u-external"));
        var notStored = await client.PostAsJsonAsync("/v1/events", new EventBatch("u-external", [new EventRequest("search", Query: "lost?")]));
        var notReady = await client.GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.OK, stored.StatusCode);
        Assert.Equal(1, slate!.Debug!.Events);
        Assert.DoesNotContain(slate.Items, i => i.VideoId == video);
        await Api.ProblemAssert.IsProblemAsync(withoutStore, HttpStatusCode.ServiceUnavailable, "the user's state cannot be read");
        await Api.ProblemAssert.IsProblemAsync(notStored, HttpStatusCode.ServiceUnavailable, "the events were not stored");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
    }
}
