using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Funnel.Data.Storage;
using Funnel.Serving.Api;
using Funnel.Serving.Contracts;

namespace Funnel.Serving.Tests.Api;

[Collection(ServingTests.Name)]
public sealed class VideoApiTests(ServedModel served)
{
    [Fact]
    public async Task An_upload_reaches_the_slate_of_a_user_whose_history_matches_it_before_retraining_and_after_a_restart()
    {
        var store = served.NewFolder("uploads");
        var dataset = await Dataset.OpenAsync(served.Data);
        var channel = dataset.Videos.Where(v => v.Channel.Length > 0).GroupBy(v => v.Channel).OrderByDescending(g => g.Count()).First().ToList();
        var upload = new UploadedVideo("upload-1", channel[0].Channel, channel[0].Topics, channel[0].Language, 420, 1_767_300_000, "A fresh one");
        EventRequest[] watches = [.. channel.Take(5).Select((v, i) => new EventRequest("watch", v.Id, WatchSeconds: 300, Time: 1_767_300_100 + i))];
        await using (var service = await served.StartAsync(storeFolder: store))
        {
            var before = await Slate(service, "fan");
            var added = await Send(service, "secret", JsonSerializer.Serialize(new AddVideosRequest([upload]), JsonOptions));
            Assert.Equal(HttpStatusCode.OK, added.StatusCode);
            Assert.Equal(new AddVideosResponse(1, 1), await added.Content.ReadFromJsonAsync<AddVideosResponse>());
            Assert.Equal(HttpStatusCode.OK, (await service.PostAsync("/v1/events", new EventBatch("fan", watches))).StatusCode);

            var after = await Slate(service, "fan");

            Assert.DoesNotContain(before.Items, i => i.VideoId == upload.Id);
            Assert.Contains(after.Items, i => i.VideoId == upload.Id && i.Source == "fresh");
            // A user with no matching history is not offered it.
            Assert.DoesNotContain((await Slate(service, "stranger")).Items, i => i.VideoId == upload.Id);
            // Watching the upload is an event like any other.
            Assert.Equal(HttpStatusCode.OK, (await service.PostAsync("/v1/events", new EventBatch("other", [new EventRequest("watch", upload.Id, WatchSeconds: 60, Time: 1_767_300_200)]))).StatusCode);
        }

        await using var restarted = await served.StartAsync(storeFolder: store);
        var again = await Slate(restarted, "fan");

        Assert.Contains(again.Items, i => i.VideoId == upload.Id && i.Source == "fresh");
    }

    [Theory]
    [InlineData("{\"videos\": [{\"id\": \"ok-1\"}, {\"id\": \"bad\", \"durationSeconds\": -5}]}", "videos[1].durationSeconds")]
    [InlineData("{\"videos\": [{\"channel\": \"c\"}]}", "videos[0].id: required")]
    [InlineData("{\"videos\": [{\"id\": \"ok-1\", \"uploadTime\": 5}]}", "videos[0].uploadTime")]
    [InlineData("{\"videos\": [{\"id\": \"ok-1\"}, {\"id\": \"ok-1\"}]}", "appears more than once")]
    [InlineData("{\"videos\": []}", "videos: required")]
    [InlineData("{\"videos\": [{\"id\": \"ok-1\", \"colour\": \"red\"}]}", "colour")]
    public async Task A_bad_video_is_a_400_naming_the_field_and_nothing_of_the_batch_is_stored(string body, string expected)
    {
        await using var service = await served.StartAsync();

        var response = await Send(service, "secret", body);
        var good = await Send(service, "secret", "{\"videos\": [{\"id\": \"ok-2\"}]}");

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, expected);
        Assert.Equal(new AddVideosResponse(1, 1), await good.Content.ReadFromJsonAsync<AddVideosResponse>());
    }

    [Fact]
    public async Task Catalogue_changes_need_the_key()
    {
        await using var service = await served.StartAsync();

        var wrong = await Send(service, "guess", "{\"videos\": [{\"id\": \"x\"}]}");

        await ProblemAssert.IsStatusProblemAsync(wrong, HttpStatusCode.Forbidden);
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    private static async Task<RecommendationResponse> Slate(RunningService service, string user) =>
        (await (await service.PostAsync("/v1/recommendations", new RecommendationRequest(user, 20, Time: 1_767_300_500))).Content.ReadFromJsonAsync<RecommendationResponse>())!;

    private static async Task<HttpResponseMessage> Send(RunningService service, string key, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/admin/videos") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Add(AdminEndpoints.ApiKeyHeader, key);
        return await service.Client.SendAsync(request);
    }
}
